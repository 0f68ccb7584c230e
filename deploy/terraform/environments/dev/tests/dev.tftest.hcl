# terraform test (offline: the docker provider is mocked).
mock_provider "docker" {}

variables {
  secret_key        = "0123456789abcdef0123456789abcdef"
  postgres_password = "a-long-enough-password"
}

run "dev_plan_without_monitoring" {
  command = plan

  assert {
    condition     = length(module.monitoring) == 0
    error_message = "monitoring is off by default in dev"
  }

  assert {
    condition     = strcontains(module.load_balancer.nginx_conf, "server tweets-dev-web-0:8000")
    error_message = "nginx must proxy to the dev replica"
  }
}

run "dev_plan_with_monitoring" {
  command = plan

  variables {
    enable_monitoring = true
    replicas          = 2
  }

  assert {
    condition     = length(module.monitoring) == 1
    error_message = "monitoring must be planned when enabled"
  }
}
