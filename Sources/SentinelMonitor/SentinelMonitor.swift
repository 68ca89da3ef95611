// The SentinelMonitor module. See Docs/Design.md for its place in the layering.
