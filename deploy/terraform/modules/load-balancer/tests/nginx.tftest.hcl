# terraform test (offline: the docker provider is mocked).
mock_provider "docker" {}

variables {
  name_prefix       = "tweets-test"
  network_name      = "tweets-test"
  media_volume_name = "tweets-test-media"
  upstreams         = ["tweets-test-web-0:8000", "tweets-test-web-1:8000", "tweets-test-web-2:8000"]
}

run "one_upstream_server_per_replica" {
  command = plan

  assert {
    condition     = length(regexall("server tweets-test-web-[0-9]:8000 max_fails=0", local.nginx_conf)) == 3
    error_message = "expected one upstream server line per replica"
  }

  assert {
    condition     = length(regexall("\\$\\{", local.nginx_conf)) == 0
    error_message = "a placeholder was left unrendered"
  }

  assert {
    condition     = strcontains(local.nginx_conf, "location = /metrics { return 404; }")
    error_message = "/metrics must not be exposed"
  }

  assert {
    condition     = length(docker_container.nginx.ports) == 1 && docker_container.nginx.ports[0].external == 80
    error_message = "without TLS only the HTTP port is published"
  }
}

run "tls_in_nginx" {
  command = plan

  variables {
    tls_certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    tls_private_key = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"
    http_port       = 0
  }

  assert {
    condition     = strcontains(local.nginx_conf, "include tls.conf;")
    error_message = "TLS must be included"
  }

  assert {
    condition     = strcontains(local.tls_conf, "listen 8443 ssl")
    error_message = "tls.conf must listen on 8443"
  }

  assert {
    condition     = length(docker_container.nginx.ports) == 1 && docker_container.nginx.ports[0].internal == 8443
    error_message = "with TLS and http_port = 0 only HTTPS is published"
  }
}

run "rejects_an_empty_upstream_list" {
  command = plan

  variables {
    upstreams = []
  }

  expect_failures = [var.upstreams]
}

run "rejects_half_a_tls_configuration" {
  command = plan

  variables {
    tls_certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
  }

  expect_failures = [var.tls_private_key]
}
