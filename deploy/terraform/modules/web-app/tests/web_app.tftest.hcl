# terraform test (offline: the docker provider is mocked).
mock_provider "docker" {}

variables {
  name_prefix       = "tweets-test"
  image             = "ghcr.io/tweetsdev/tweets:test"
  network_name      = "tweets-test"
  media_volume_name = "tweets-test-media"
  secret_key        = "0123456789abcdef0123456789abcdef"
  database          = { host = "tweets-test-postgres", port = 5432, name = "tweets", user = "tweets" }
  database_password = "a-long-enough-password"
  allowed_hosts     = ["tweets.example.com"]
  trusted_proxies   = ["172.28.0.0/24"]
}

run "replicas_and_outputs" {
  command = plan

  variables {
    replicas = 3
  }

  assert {
    condition     = length(docker_container.web) == 3
    error_message = "expected 3 containers"
  }

  assert {
    condition     = output.upstreams == ["tweets-test-web-0:8000", "tweets-test-web-1:8000", "tweets-test-web-2:8000"]
    error_message = "upstreams must list every replica's main listener"
  }

  assert {
    condition     = output.metrics_targets[0] == "tweets-test-web-0:9000"
    error_message = "metrics_targets must use the admin listener"
  }
}

run "secrets_are_files_not_environment" {
  command = plan

  assert {
    condition     = contains(local.env, "TWEETS_SECRET_KEY_FILE=/run/secrets/tweets_secret_key") && contains(local.env, "POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password")
    error_message = "secrets must be passed as *_FILE"
  }

  assert {
    condition     = length([for e in local.env : e if startswith(e, "TWEETS_SECRET_KEY=") || startswith(e, "POSTGRES_PASSWORD=")]) == 0
    error_message = "no secret may be in the environment"
  }

  assert {
    condition     = contains(local.env, "TWEETS_MIGRATE_ON_START=false")
    error_message = "replicas must not migrate: the migrate container does"
  }
}

run "healthcheck_names_an_allowed_host" {
  command = plan

  variables {
    allowed_hosts = ["tweets.example.com", "www.example.com"]
  }

  # `tweets healthcheck` sends the first of TWEETS_ALLOWED_HOSTS as Host,
  # so the replicas' environment must carry the list.
  assert {
    condition     = docker_container.web[0].healthcheck[0].test == tolist(["CMD", "/tweets", "healthcheck"])
    error_message = "the replicas' health check must be `tweets healthcheck`"
  }

  assert {
    condition     = contains(docker_container.web[0].env, "TWEETS_ALLOWED_HOSTS=tweets.example.com,www.example.com")
    error_message = "the replicas need TWEETS_ALLOWED_HOSTS, whose first name the health check sends as Host"
  }
}

run "rejects_zero_replicas" {
  command = plan
  variables {
    replicas = 0
  }
  expect_failures = [var.replicas]
}

run "rejects_eleven_replicas" {
  command = plan
  variables {
    replicas = 11
  }
  expect_failures = [var.replicas]
}

run "rejects_a_short_secret_key" {
  command = plan
  variables {
    secret_key = "short"
  }
  expect_failures = [var.secret_key]
}

run "rejects_secrets_in_extra_env" {
  command = plan
  variables {
    extra_env = { POSTGRES_PASSWORD = "hunter2" }
  }
  expect_failures = [var.extra_env]
}

run "media_on_the_volume_by_default" {
  command = plan

  assert {
    condition     = contains(local.env, "TWEETS_MEDIA_STORE=disk") && contains(local.env, "TWEETS_MEDIA_ACCEL_PREFIX=/_media/")
    error_message = "without media_s3, media stay on the shared volume, sent by nginx"
  }
}

run "media_in_s3" {
  command = plan

  variables {
    media_s3                   = { endpoint = "https://s3.eu-west-1.amazonaws.com", bucket = "tweets-media", region = "eu-west-1" }
    media_s3_access_key_id     = "AKIAEXAMPLE"
    media_s3_secret_access_key = "an-example-secret"
  }

  assert {
    condition = alltrue([for e in [
      "TWEETS_MEDIA_STORE=s3", "TWEETS_S3_ENDPOINT=https://s3.eu-west-1.amazonaws.com", "TWEETS_S3_BUCKET=tweets-media",
      "TWEETS_S3_REGION=eu-west-1", "TWEETS_S3_PATH_STYLE=false",
      "TWEETS_S3_ACCESS_KEY_ID_FILE=/run/secrets/s3_access_key_id",
      "TWEETS_S3_SECRET_ACCESS_KEY_FILE=/run/secrets/s3_secret_access_key",
    ] : contains(local.env, e)])
    error_message = "media_s3 must reach the containers as TWEETS_S3_* settings, the keys as files"
  }

  assert {
    condition     = length([for e in local.env : e if startswith(e, "TWEETS_S3_SECRET_ACCESS_KEY=") || startswith(e, "TWEETS_S3_ACCESS_KEY_ID=") || startswith(e, "TWEETS_MEDIA_ACCEL_PREFIX=")]) == 0
    error_message = "no S3 key may be in the environment, and nginx cannot send files that are in a bucket"
  }
}

run "media_s3_needs_its_keys" {
  command = plan

  variables {
    media_s3 = { endpoint = "https://s3.eu-west-1.amazonaws.com", bucket = "tweets-media" }
  }

  expect_failures = [var.media_s3_access_key_id, var.media_s3_secret_access_key]
}

run "media_s3_endpoint_is_a_url" {
  command = plan

  variables {
    media_s3                   = { endpoint = "s3.eu-west-1.amazonaws.com/tweets-media", bucket = "tweets-media" }
    media_s3_access_key_id     = "AKIAEXAMPLE"
    media_s3_secret_access_key = "an-example-secret"
  }

  expect_failures = [var.media_s3]
}

run "secrets_come_from_a_read_only_volume" {
  command = plan

  # Docker refuses uploads into a read-only root file system: the
  # replicas and the migration mount the files instead.
  assert {
    condition     = docker_container.web[0].read_only && length(docker_container.web[0].upload) == 0 && length(docker_container.migrate.upload) == 0
    error_message = "the read-only replicas must not carry uploads"
  }

  assert {
    condition     = length([for v in docker_container.web[0].volumes : v if v.container_path == "/run/secrets" && v.read_only == true]) == 1
    error_message = "the replicas must mount the secrets volume read-only at /run/secrets"
  }

  # Naming an owner makes Docker look it up inside the image, which fails
  # on a static image with Docker 20.10.
  assert {
    condition     = alltrue([for u in docker_container.secrets.upload : u.owner == null && u.group == null])
    error_message = "uploads must not name an owner"
  }

  assert {
    condition     = !docker_container.secrets.start
    error_message = "the container that holds the secrets never runs"
  }
}

run "rejects_pools_larger_than_the_database" {
  command = plan
  variables {
    replicas                 = 10
    db_max_conns             = 20
    database_max_connections = 100
  }
  expect_failures = [docker_container.migrate]
}
