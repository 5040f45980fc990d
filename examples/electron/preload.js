// The only bridge between the sandboxed viewer page and Electron: the images named on the command
// line (read by the main process). Nothing else of Node or Electron reaches the page.
const { contextBridge, ipcRenderer } = require('electron');

contextBridge.exposeInMainWorld('xrayDesktop', {
  openedImages: () => ipcRenderer.invoke('xray:opened-images'),
});
