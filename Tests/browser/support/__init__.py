"""Helpers for the browser tests: the REST API, the UI driver, ground truth, images and masks."""
