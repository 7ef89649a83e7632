"""Prometheus metrics of every process: the registry and its text format, the process's
own instruments, and the small HTTP listener a service serves them on."""
