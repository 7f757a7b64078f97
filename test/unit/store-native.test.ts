import { describe, expect, it } from 'vitest';
import { sqliteNativeBinding } from '../../main/store/native.js';

const node = { ...process.versions };

describe('native module per runtime', () => {
  it('uses the default Node build under Node', () => {
    expect(sqliteNativeBinding({}, node)).toBeUndefined();
  });

  it('lets VIGIL_SQLITE_BINDING override the build', () => {
    expect(sqliteNativeBinding({ VIGIL_SQLITE_BINDING: '/opt/vigil/better_sqlite3.node' }, node)).toBe('/opt/vigil/better_sqlite3.node');
    expect(sqliteNativeBinding({ VIGIL_SQLITE_BINDING: '/x.node' }, { ...node, electron: '45.4.1' })).toBe('/x.node');
  });

  it('under Electron falls back to the default build when no per-ABI build was packaged', () => {
    // No build/electron-<abi> folder exists in this checkout (Electron is not installed here).
    expect(sqliteNativeBinding({}, { ...node, electron: '45.4.1', modules: '999' })).toBeUndefined();
  });
});
