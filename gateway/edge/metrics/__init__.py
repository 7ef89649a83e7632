"""`/metrics` in the Prometheus text format: HTTP requests, gRPC calls, requests in flight."""
