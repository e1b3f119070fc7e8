/** One in-memory TypeScript program over snippets that import the package's real source. */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

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
