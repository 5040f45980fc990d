import { describe, expect, it } from 'vitest';
import { END_MARKER, START_MARKER, replaceBetweenMarkers, runTitle } from '../../bench/update-readme.js';
import type { AdapterDescription, BenchResults } from '../../src/bench/results.js';

describe('replaceBetweenMarkers', () => {
  it('replaces only what lies between the markers', () => {
    const readme = `# x\n\n## Performance\n${START_MARKER}\nold\n${END_MARKER}\n\n## After\n`;
    expect(replaceBetweenMarkers(readme, 'new')).toBe(`# x\n\n## Performance\n${START_MARKER}\nnew\n${END_MARKER}\n\n## After\n`);
  });

  it('refuses a README without both markers in order, naming them', () => {
    expect(() => replaceBetweenMarkers('# x\n', 'new')).toThrow(`the README needs ${START_MARKER} followed by ${END_MARKER}`);
    expect(() => replaceBetweenMarkers(`${END_MARKER}\n${START_MARKER}`, 'new')).toThrow('followed by');
  });
});

describe('runTitle', () => {
  const machine = (adapter: Partial<AdapterDescription> | null) =>
    ({
      machine: {
        cpuModel: 'AMD EPYC',
        cores: 2,
        adapter: adapter && { summary: 'nvidia', device: '', isSwiftShader: false, isSoftware: false, ...adapter },
      },
    }) as unknown as BenchResults;

  it('names a hardware GPU first', () => {
    expect(runTitle(machine({ device: 'nvidia-h100-80gb-hbm3' }))).toBe('nvidia-h100-80gb-hbm3 GPU, AMD EPYC (2 cores)');
  });

  it('says plainly when the GPU engine ran on SwiftShader', () => {
    expect(runTitle(machine({ isSwiftShader: true, isSoftware: true }))).toBe('AMD EPYC (2 cores), no GPU: the GPU engine on SwiftShader (emulation)');
    expect(runTitle(machine(null))).toBe('AMD EPYC (2 cores), CPU only');
  });
});
