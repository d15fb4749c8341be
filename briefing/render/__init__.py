"""Headless drawing: charts and PDFs. Qt is allowed here, windows are not."""
