# terraform test (offline: the docker provider is mocked).
mock_provider "docker" {}

variables {
  name_prefix  = "tweets-test"
  network_name = "tweets-test"
  password     = "a-long-enough-password"
}

run "connection_output" {
  command = plan

  assert {
    condition     = output.connection.port == 5432 && output.connection.name == "tweets" && output.connection.user == "tweets"
    error_message = "unexpected connection output"
  }

  assert {
    condition     = length(docker_container.postgres.ports) == 0
    error_message = "PostgreSQL must not be published by default"
  }
}

run "rejects_another_major_version" {
  command = plan
  variables {
    image = "postgres:16"
  }
  expect_failures = [var.image]
}

run "rejects_a_short_password" {
  command = plan
  variables {
    password = "short"
  }
  expect_failures = [var.password]
}
