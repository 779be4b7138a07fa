import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultWorkspaceDir, parseXdgDocumentsDir, workspacePaths } from '../../../src-main/workspace/workspacePaths';

describe('workspace location', () => {
  it('prefers MACL_WORKSPACE', () => {
    expect(defaultWorkspaceDir({ env: { MACL_WORKSPACE: '/data/ws' }, homeDir: '/home/r', platform: 'linux' })).toBe('/data/ws');
  });

  it('uses the XDG documents folder on Linux', () => {
    const userDirs = '# comment\nXDG_DESKTOP_DIR="$HOME/Desktop"\nXDG_DOCUMENTS_DIR="$HOME/Dokumente"\n';
    expect(defaultWorkspaceDir({ env: {}, homeDir: '/home/r', platform: 'linux', readUserDirs: () => userDirs })).toBe('/home/r/Dokumente/MACL Workspace');
    expect(defaultWorkspaceDir({ env: { XDG_DOCUMENTS_DIR: '/srv/docs' }, homeDir: '/home/r', platform: 'linux', readUserDirs: () => null })).toBe('/srv/docs/MACL Workspace');
    expect(parseXdgDocumentsDir('XDG_DOCUMENTS_DIR="relative"', '/h')).toBeNull();
  });

  it('falls back to ~/Documents elsewhere or without XDG settings', () => {
    expect(defaultWorkspaceDir({ env: {}, homeDir: '/Users/r', platform: 'darwin' })).toBe(path.join('/Users/r', 'Documents', 'MACL Workspace'));
    expect(defaultWorkspaceDir({ env: {}, homeDir: '/home/r', platform: 'linux', readUserDirs: () => null })).toBe('/home/r/Documents/MACL Workspace');
  });

  it('names the index and one stable folder per archive root', () => {
    const ws = workspacePaths('/ws');
    expect(ws.seriesIndex).toBe('/ws/series-index.json');
    expect(ws.archiveDir('/archive/a')).toBe(ws.archiveDir('/archive/a/'));
    expect(ws.archiveDir('/archive/a')).not.toBe(ws.archiveDir('/archive/b'));
    expect(path.dirname(ws.archiveDir('/archive/a'))).toBe('/ws/archives');
  });
});
