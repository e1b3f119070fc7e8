/**
 * A failed job's error as clients see it: no server paths (each absolute path is cut to its
 * last part), and the MNIST folder named by the server's setting, not by the training command's
 * `--data-dir` flag that the message from `@mnist/net` mentions. The full text goes to the log.
 */

const ABSOLUTE_PATH = /(?<=^|[\s'"(=])(?:[A-Za-z]:)?(?:[\\/][^\s\\/:;,'"()]+)+[\\/]?/g;

export function publicJobError(message: string): string {
  return message
    .replace(
      /pass --data-dir <dir>(?: to point at the MNIST files)?|--data-dir/g,
      "set the server's --mnist-dir (MNIST_API_MNIST_DIR) to the folder of the MNIST files",
    )
    .replace(ABSOLUTE_PATH, (path) => path.split(/[\\/]/).filter(Boolean).at(-1) ?? path);
}
