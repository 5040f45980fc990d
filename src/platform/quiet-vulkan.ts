/**
 * The environment Dawn starts in, chosen so that the native side has nothing to complain about: Dawn,
 * the Vulkan loader and the drivers write straight to file descriptor 2, where JavaScript cannot
 * filter them, so each message is avoided at its trigger instead (measured on Debian 12 without a GPU):
 *
 * - `error: XDG_RUNTIME_DIR is invalid or not set in the environment.` (twice per Vulkan instance):
 *   libwayland-client, loaded by the drivers' window-system support. A private runtime folder
 *   (mode 0700, as the XDG spec asks) when the variable is unset or not an absolute path.
 * - `Warning: Vulkan shaderUniform*ArrayDynamicIndexing required ... PhysicalDeviceVk.cpp`: Dawn
 *   rejecting Mesa's lavapipe, which in Debian 12 is too old for it. The loader is told to skip
 *   lavapipe (VK_LOADER_DRIVERS_DISABLE, Vulkan loader 1.3.234+), since it never yields an adapter.
 * - `Loader Message: ... Failed to detect any valid GPUs`: Mesa's hardware drivers (intel, radeon,
 *   ...) reach their GPU through a /dev/dri render node; without one they find nothing, so they do
 *   not count as drivers when deciding to use SwiftShader (see `swiftShaderFallback`).
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Mesa's drivers for real GPUs, which reach them through /dev/dri render nodes only. */
export const MESA_DRM_ICD = /^(intel|intel_hasvk|radeon|nouveau|freedreno|broadcom|panfrost|asahi|lima|virtio|powervr_mesa)_icd\./;
/** Mesa's lavapipe in Debian 12 is too old for Dawn (no dynamic array indexing): it never yields an adapter. */
export const LAVAPIPE_ICD = /^lvp_icd\./;
export const LAVAPIPE_DISABLE_PATTERN = '*lvp_icd*';

export interface QuietFs {
  exists(path: string): boolean;
  list(dir: string): string[];
}

/** True when the machine has a DRM render node, the only way Mesa's hardware drivers find a GPU. */
export function hasRenderNode(fs: QuietFs): boolean {
  return fs.exists('/dev/dri') && fs.list('/dev/dri').some((name) => name.startsWith('renderD'));
}

/**
 * The variables to set before Dawn creates a Vulkan instance (only those the user left unset), so
 * that it prints nothing when all is well. `runtimeDir` makes the private XDG_RUNTIME_DIR on demand.
 */
export function quietVulkanEnv(env: Record<string, string | undefined>, runtimeDir: () => string): Record<string, string> {
  const changes: Record<string, string> = {};
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg === undefined || xdg === '' || !isAbsolute(xdg)) changes.XDG_RUNTIME_DIR = runtimeDir();
  // The user's own driver choice stands: they may mean lavapipe.
  if (env.VK_LOADER_DRIVERS_DISABLE === undefined && env.VK_LOADER_DRIVERS_SELECT === undefined && !env.VK_ICD_FILENAMES && !env.VK_DRIVER_FILES) {
    changes.VK_LOADER_DRIVERS_DISABLE = LAVAPIPE_DISABLE_PATTERN;
  }
  return changes;
}

/**
 * A folder only this user can enter, reused across runs (one per user, so nothing piles up in /tmp);
 * a fresh one under a unique name when that one exists but is not ours or not private.
 */
export function privateRuntimeDir(): string {
  const uid = process.getuid?.() ?? userInfo().username;
  const base = join(tmpdir(), `xray-gpu-runtime-${uid}`);
  for (let k = 0; k < 100; k++) {
    const dir = k === 0 ? base : `${base}-${k}`;
    try {
      mkdirSync(dir, { mode: 0o700 });
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot create a private XDG_RUNTIME_DIR at ${dir}`, { cause: error });
      const stat = statSync(dir);
      if (stat.isDirectory() && (stat.mode & 0o777) === 0o700 && (process.getuid === undefined || stat.uid === process.getuid())) return dir;
    }
  }
  throw new Error(`cannot create a private XDG_RUNTIME_DIR: ${base} and 99 alternatives are taken`);
}

export const defaultQuietFs: QuietFs = {
  exists: (path: string) => existsSync(path),
  list: (dir: string) => readdirSync(dir),
};
