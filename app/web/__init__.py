"""Request plumbing shared by every blueprint: security headers and checks, reading query
parameters, request ids and logs, error pages, pagination, the shared form base."""
