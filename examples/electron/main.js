// The xray-gpu viewer in an Electron window: the built static viewer (../../web/dist, made by
// `npm run build:web` in the repository root) loaded from file://, in a sandboxed renderer without
// Node. Images named on the command line are read here and handed to the page through the preload.
//   npm start -- image1.png image2.png
const { app, BrowserWindow, ipcMain } = require('electron');
const { readFile } = require('node:fs/promises');
const path = require('node:path');

const VIEWER = path.resolve(__dirname, '..', '..', 'web', 'dist', 'index.html');

// WebGPU is on by default in Chromium on Windows, macOS and ChromeOS; on Linux (and for software
// adapters) it still sits behind this switch. It must be set before the app is ready.
if (process.platform === 'linux') app.commandLine.appendSwitch('enable-unsafe-webgpu');

/** Image paths after `--` (npm start -- a.png) or after the app path (electron . a.png). */
function imageArguments(argv) {
  const dash = argv.indexOf('--');
  const rest = dash >= 0 ? argv.slice(dash + 1) : argv.slice(app.isPackaged ? 1 : 2);
  return rest.filter((arg) => !arg.startsWith('-')).map((arg) => path.resolve(arg));
}

const images = imageArguments(process.argv);

// The page asks once at start; each file is read here (the renderer has no file system).
ipcMain.handle('xray:opened-images', async () =>
  Promise.all(images.map(async (file) => ({ name: path.basename(file), bytes: new Uint8Array(await readFile(file)) }))),
);

function createWindow() {
  const window = new BrowserWindow({
    width: 1320,
    height: 960,
    title: 'xray-gpu viewer',
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
    },
  });
  // Links open nowhere inside the app; downloads (PNG, .npy) go through Electron's save dialog.
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.loadFile(VIEWER);
}

app.whenReady().then(() => {
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
