// Command pulumi-resource-random is our entry point for the random provider: upstream's main package embeds a
// schema file that is generated (and gitignored) upstream, so it is not in the module zip. 30-plugins.sh
// copies this module to a staging directory in the cache and writes the two embedded files there:
// schema-embed.json (the provider module's schema.json with "version" set) and bridge-metadata.json.
package main

import (
	"context"
	_ "embed"

	random "github.com/pulumi/pulumi-random/provider/v4"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
)

//go:embed schema-embed.json
var schema []byte

//go:embed bridge-metadata.json
var bridgeMetadata []byte

func main() {
	meta := tfbridge.ProviderMetadata{PackageSchema: schema, BridgeMetadata: bridgeMetadata}
	tfbridge.Main(context.Background(), "random", random.Provider(), meta)
}
