/** The `--attach` URL of a training job: its API base and job id. */

/** A job URL that is not one. */
export class AttachUrlError extends Error {
  override readonly name = 'AttachUrlError';
}

/**
 * The API base and job id of a job URL: `http://host:3000/v1/trainings/abc` (or with
 * `/events` at the end) gives `{ base: 'http://host:3000', id: 'abc' }`.
 */
export function parseJobUrl(url: string): { base: string; id: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AttachUrlError(
      `--attach: expected the URL of a training job, like http://localhost:3000/v1/trainings/ID, got ${JSON.stringify(url)}`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new AttachUrlError(`--attach: expected an http or https URL, got ${u.protocol}`);
  const m = /^(.*)\/v1\/trainings\/([^/]+)(?:\/events)?\/?$/.exec(u.pathname);
  if (!m)
    throw new AttachUrlError(
      `--attach: expected a path ending in /v1/trainings/ID, got ${JSON.stringify(u.pathname)}`,
    );
  return { base: `${u.origin}${m[1]}`, id: decodeURIComponent(m[2]!) };
}
