import { loadMnistSplit } from '@mnist/net';
import { describe, expect, it } from 'vitest';
import { stripAnsi } from './color.js';
import { barCell, digitLines, hbar } from './digit.js';

describe('digitLines', () => {
  it('draws the first MNIST test image (a 7) in 28×14 half blocks', async () => {
    const test = await loadMnistSplit('test');
    expect(test.labels[0]).toBe(7);
    const lines = digitLines(test.images.subarray(0, 784), 'none');
    expect(lines).toHaveLength(14);
    for (const l of lines) expect([...l]).toHaveLength(28);
    expect(lines.join('\n')).toMatchInlineSnapshot(`
      "                            
                                  
                                  
             ▄▄▄                  
            ▀█▀████████████▄      
                         ██▀      
                       ▄██        
                      ▄██         
                     ▄██          
                    ▄██           
                   ██▀            
                 ▄██▀             
                ▄███              
                ▀▀▀               "
    `);
  });
  it('draws grey levels with colour, one cell per pixel pair', async () => {
    const image = new Uint8Array(784);
    image[0] = 255; // top-left pixel white, the one below black
    const [first] = digitLines(image, '256');
    expect(first!.startsWith('\x1b[38;5;231;48;5;16m▀')).toBe(true);
    expect([...stripAnsi(first!)]).toHaveLength(28);
  });
  it('downscales to fewer columns', () => {
    const lines = digitLines(new Uint8Array(784).fill(255), 'none', 14);
    expect(lines).toEqual(Array(7).fill('█'.repeat(14)));
  });
});

describe('bars', () => {
  it('barCell shows eighths, at least ▁ for any non-zero probability', () => {
    expect(barCell(0)).toBe(' ');
    expect(barCell(0.001)).toBe('▁');
    expect(barCell(0.5)).toBe('▄');
    expect(barCell(1)).toBe('█');
  });
  it('hbar fills eighths of cells', () => {
    expect(hbar(0.5, 4)).toBe('██  ');
    expect(hbar(1, 3)).toBe('███');
    expect(hbar(0.1, 4)).toBe('▍   ');
  });
});
