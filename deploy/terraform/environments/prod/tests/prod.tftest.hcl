# terraform test (offline: the docker provider is mocked; the S3 backend is
# not used by tests).
mock_provider "docker" {}

variables {
  environment            = "staging"
  docker_host            = "ssh://deploy@tweets-staging.example.com"
  image                  = "ghcr.io/tweetsdev/tweets@sha256:0000000000000000000000000000000000000000000000000000000000000000"
  domain                 = "staging.tweets.example.com"
  secret_key             = "0123456789abcdef0123456789abcdef"
  postgres_password      = "a-long-enough-password"
  grafana_admin_password = "a-long-enough-password"
  slack_webhook_url      = "https://hooks.slack.invalid/test"
}

run "staging_plan" {
  command = plan

  assert {
    condition     = length(module.web.container_names) == 3
    error_message = "three replicas by default"
  }

  assert {
    condition     = module.web.container_names[0] == "tweets-staging-web-0"
    error_message = "staging objects are prefixed tweets-staging"
  }
}

run "rejects_an_image_without_digest" {
  command = plan
  variables {
    image = "ghcr.io/tweetsdev/tweets:latest"
  }
  expect_failures = [var.image]
}

run "rejects_an_unknown_environment" {
  command = plan
  variables {
    environment = "qa"
  }
  expect_failures = [var.environment]
}

run "rejects_short_secrets" {
  command = plan
  variables {
    secret_key             = "short"
    postgres_password      = "short"
    grafana_admin_password = "short"
    slack_webhook_url      = "hooks.slack.com/no-scheme"
  }
  expect_failures = [var.secret_key, var.postgres_password, var.grafana_admin_password, var.slack_webhook_url]
}

run "pools_fit_the_database" {
  command = plan
  variables {
    replicas = 10
  }

  assert {
    condition     = contains(module.web.environment, "TWEETS_DB_MAX_CONNS=8") && contains(module.web.environment, "TWEETS_REPLICAS=10")
    error_message = "10 replicas of 8 connections (92 with the LISTEN connections, the migration and a maintenance session) fit in max_connections 100"
  }
}
