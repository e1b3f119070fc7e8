/**
 * Snippets that import the package's real source, compiled two ways: in one in-memory program
 * through TypeScript 5's JavaScript API, and by the `tsc` the workspace builds and checks with
 * (TypeScript 7, native, which has no such API) over the same files on disk.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript-api';

export const PKG = fileURLToPath(new URL('..', import.meta.url));
/** The package entry, imported by absolute path (NodeNext maps `.js` to the `.ts` source). */
export const ENTRY = `${PKG}src/index.js`;

/** The compiler options of the package's tsconfig.json (and the base it extends). */
function packageOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    `${PKG}tsconfig.json`,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (parsed === undefined || parsed.errors.length > 0)
    throw new Error('cannot read tsconfig.json');
  return { ...parsed.options, noEmit: true };
}

/** A host that serves the snippets from memory and everything else from disk. */
function virtualHost(
  options: ts.CompilerOptions,
  files: ReadonlyMap<string, string>,
): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  return {
    ...host,
    fileExists: (f) => files.has(f) || fileExists.call(host, f),
    readFile: (f) => files.get(f) ?? readFile.call(host, f),
    getSourceFile: (f, languageVersion, onError, shouldCreate) => {
      const text = files.get(f);
      return text === undefined
        ? getSourceFile.call(host, f, languageVersion, onError, shouldCreate)
        : ts.createSourceFile(f, text, languageVersion, true);
    },
  };
}

/**
 * Compiles the snippets (file name → text) together in one program with the package's own
 * compiler options (tsconfig.json → @mnist/tsconfig/base.json).
 */
export function compileSnippets(files: ReadonlyMap<string, string>): ts.Program {
  const options = packageOptions();
  return ts.createProgram({
    rootNames: [...files.keys()],
    options,
    host: virtualHost(options, files),
  });
}

/** A diagnostic as a user reads it: its line within the snippet and its text. */
export interface Finding {
  readonly line: number;
  readonly text: string;
}

/** The diagnostics of one program, per snippet file name. */
export type Findings = ReadonlyMap<string, readonly Finding[]>;

/** Compiles the snippets with TypeScript 5's API: diagnostics per file, and global ones. */
export function findingsOfApi(files: ReadonlyMap<string, string>): {
  perFile: Findings;
  global: string[];
} {
  const program = compileSnippets(files);
  const text = (d: ts.Diagnostic) => ts.flattenDiagnosticMessageText(d.messageText, '\n');
  const perFile = new Map<string, Finding[]>();
  for (const name of files.keys()) {
    const source = program.getSourceFile(name)!;
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    perFile.set(
      name,
      diagnostics.map((d) => ({
        line: source.getLineAndCharacterOfPosition(d.start ?? 0).line + 1,
        text: text(d),
      })),
    );
  }
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map(text);
  return { perFile, global };
}

const TSC = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
/** `file(line,col): error TS1234: text`, then the chained messages, indented two spaces a level. */
const HEAD = /^(.+)\((\d+),\d+\): error TS\d+: (.*)$/;

/**
 * Compiles the snippets with the workspace's `tsc` (TypeScript 7) in one run: they are written
 * under the package (so that `@types/node` and the tsconfig resolve as for its own files), with
 * a tsconfig extending the package's, and the printed diagnostics are read back per file.
 * Names in `files` are used for their base names only, which must differ.
 */
export async function findingsOfTsc(files: ReadonlyMap<string, string>): Promise<{
  perFile: Findings;
  global: string[];
  version: string;
}> {
  const dir = await mkdtemp(join(PKG, 'test', '.tsc-'));
  try {
    for (const [name, text] of files) await writeFile(join(dir, baseName(name)), text);
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../../tsconfig.json', include: ['*.ts'] }),
    );
    const run = promisify(execFile);
    const args = [TSC, '-p', dir, '--noEmit', '--pretty', 'false', '--singleThreaded'];
    const out = await run(process.execPath, args, { maxBuffer: 64 << 20 }).then(
      (r) => r.stdout,
      // tsc exits non-zero when it reports errors; its findings are on stdout all the same.
      (e: { stdout?: string }) => {
        if (e.stdout === undefined || e.stdout === '') throw e;
        return e.stdout;
      },
    );
    const version = (await run(process.execPath, [TSC, '--version'])).stdout.trim();
    const perFile = new Map<string, Finding[]>([...files.keys()].map((n) => [n, []]));
    const byBase = new Map([...files.keys()].map((n) => [baseName(n), n]));
    const global: string[] = [];
    let last: { text: string } | undefined;
    for (const line of out.split('\n')) {
      const head = HEAD.exec(line);
      if (head !== null) {
        const finding = { line: Number(head[2]), text: head[3]! };
        const name = byBase.get(baseName(head[1]!));
        if (name === undefined) global.push(line);
        else perFile.get(name)!.push(finding);
        last = finding;
      } else if (line.startsWith('  ') && last !== undefined) {
        last.text += `\n${line}`; // as flattenDiagnosticMessageText indents a chained message
      } else if (line.trim() !== '') {
        global.push(line);
        last = undefined;
      }
    }
    return { perFile, global, version };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
