// Placeholder so the module compiles until its first real file lands; delete when you add one.
