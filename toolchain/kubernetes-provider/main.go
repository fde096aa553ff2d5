// pulumi-resource-kubernetes, built from the pinned provider module.
//
// Upstream's cmd/pulumi-resource-kubernetes embeds a schema-embed.json that its
// release tooling generates, so that package cannot be built from the module
// proxy as is. This main is the same few lines, embedding the module's own
// schema.json and terraform-mapping.json, which toolchain/build.sh copies here
// from the module cache before building (they are not committed).
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema.json
var pulumiSchema []byte

//go:embed terraform-mapping.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
