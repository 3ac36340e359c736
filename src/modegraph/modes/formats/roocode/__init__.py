"""Roo Code custom modes: `.roomodes`, `custom_modes.yaml`, bare mode objects."""
