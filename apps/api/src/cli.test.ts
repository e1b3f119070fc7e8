import { describe, expect, it } from 'vitest';
import { parseServerArgs, UsageError } from './cli.js';
import { defaultDataDir, resolveApiConfig } from './config.js';

describe('parseServerArgs', () => {
  it('has defaults', () => {
    const a = parseServerArgs([], {});
    expect(a).toMatchObject({
      help: false,
      port: 3000,
      host: '127.0.0.1',
      defaultModel: true,
      logLevel: 'info',
    });
    expect(a.options).toEqual({ authReads: false, logRequests: true });
  });

  it('reads flags, which override the environment', () => {
    const a = parseServerArgs(
      [
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--data-dir',
        'd',
        '--token',
        't',
        '--max-jobs',
        '2',
        '--cors',
        'http://a, http://b',
        '--no-default-model',
        '--log-level',
        'warn',
        '--auth-reads',
      ],
      { MNIST_API_PORT: '9', MNIST_API_TOKEN: 'env', INIT_CWD: '/home/u' },
    );
    expect(a).toMatchObject({ port: 0, host: '0.0.0.0', defaultModel: false, logLevel: 'warn' });
    expect(a.options).toMatchObject({
      dataDir: '/home/u/d',
      token: 't',
      maxJobs: 2,
      cors: ['http://a', 'http://b'],
      authReads: true,
    });
  });

  it('ignores the `--` that pnpm passes on', () => {
    expect(parseServerArgs(['--', '--port', '1'], {}).port).toBe(1);
  });

  it('reads the environment', () => {
    const a = parseServerArgs([], {
      MNIST_API_PORT: '8080',
      MNIST_API_TOKEN: 's',
      MNIST_API_DEFAULT_MODEL: '0',
      MNIST_API_AUTH_READS: '1',
      MNIST_API_REQUEST_LOG: 'off',
    });
    expect(a).toMatchObject({ port: 8080, defaultModel: false });
    expect(a.options).toMatchObject({ token: 's', authReads: true, logRequests: false });
  });

  it('refuses bad values, naming the flag', () => {
    expect(() => parseServerArgs(['--port', 'x'], {})).toThrow(
      new UsageError('--port: expected an integer in 0..65535, got "x"'),
    );
    expect(() => parseServerArgs(['--max-jobs', '0'], {})).toThrow(
      /--max-jobs: expected an integer in 1..64/,
    );
    expect(() => parseServerArgs(['--log-level', 'loud'], {})).toThrow(
      /--log-level: expected one of debug, info/,
    );
    expect(() => parseServerArgs(['--model-name', '../x'], {})).toThrow(
      /--model-name: expected a name/,
    );
    expect(() => parseServerArgs(['--bogus'], {})).toThrow(UsageError);
  });
});

describe('config', () => {
  it('puts data under the directory the command was started from', () => {
    expect(defaultDataDir({ INIT_CWD: '/home/u' })).toBe('/home/u/.mnist-api');
    expect(defaultDataDir({ INIT_CWD: '/home/u', MNIST_API_DATA_DIR: 'data' })).toBe(
      '/home/u/data',
    );
  });

  it('checks numbers', () => {
    expect(() => resolveApiConfig({ maxJobs: 0 })).toThrow(
      'maxJobs: expected an integer ≥ 1, got 0',
    );
    expect(resolveApiConfig({ dataDir: '/x', token: '' }).token).toBeNull();
  });
});
