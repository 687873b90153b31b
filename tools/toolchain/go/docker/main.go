// Command pulumi-resource-docker is our entry point for the docker provider (a hybrid of native resources and
// bridged Terraform ones, served by the provider package itself). Upstream's main package embeds a generated,
// gitignored schema-embed.json; 30-plugins.sh writes it into a staging copy of this module in the cache.
package main

import (
	_ "embed"

	provider "github.com/pulumi/pulumi-docker/provider/v5"
	"github.com/pulumi/pulumi-docker/provider/v5/pkg/version"
)

//go:embed schema-embed.json
var schema []byte

func main() {
	provider.Serve("docker", version.Version, schema)
}
