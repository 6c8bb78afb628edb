"""The book's tooling: builds, checks and studies the chapters; nothing here is taught."""
