"""The HRSS shared kernel: national rules that several HRSS domains apply."""
