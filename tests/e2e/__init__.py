"""Browser tests: JupyterLab with a real kernel, driven through Debian's Chromium by Playwright."""
