// registry: the CNCF distribution registry (an OCI registry) for the integration tier's private
// chart source test, built from the pinned module.
//
// Upstream's cmd/registry/main.go (github.com/distribution/distribution v3.1.2) is these same
// lines, plus the azure, gcs and s3 storage drivers, the cloudfront middleware, token and silly
// auth and the pull-through proxy. The test needs a filesystem store and htpasswd basic auth
// only; leaving the cloud drivers out keeps their SDKs out of the cold build.
package main

import (
	"github.com/distribution/distribution/v3/registry"
	_ "github.com/distribution/distribution/v3/registry/auth/htpasswd"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/filesystem"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/inmemory"
)

func main() {
	// Upstream ignores the error too: cobra has already printed it and exits non-zero itself.
	registry.RootCmd.Execute() //nolint:errcheck
}
