// Command pulumi-resource-docker is the docker resource plugin built from the Terraform docker provider through
// Pulumi's Terraform bridge. The mapping below is ours: it gives the four Terraform resources this program uses
// the type tokens and property names of the @pulumi/docker 5.0.0 SDK, so the engine loads this plugin where it
// would load pulumi-docker's. Everything else (create, read, diff, update, delete, health wait) is the upstream
// provider's own code.
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/terraform-providers/terraform-provider-docker/shim"
)

// version is the plugin version the @pulumi/docker SDK asks the engine for; the toolchain step checks that the
// two agree.
const version = "5.0.0"

func resource(file, name string) tokens.Type {
	return tokens.Type("docker:index/" + file + ":" + name)
}

func providerInfo() tfbridge.ProviderInfo {
	info := tfbridge.ProviderInfo{
		P:       shimv2.NewProvider(shim.NewProvider(version)),
		Name:    "docker",
		Version: version,
		Config: map[string]*tfbridge.SchemaInfo{
			// As pulumi-docker: the engine address falls back to DOCKER_HOST, then the local socket.
			"host": {Default: &tfbridge.DefaultInfo{Value: "unix:///var/run/docker.sock", EnvVars: []string{"DOCKER_HOST"}}},
			// The SDK names this block list in the singular (the bridge would say registryAuths) and keeps it a
			// list even though it may hold one entry.
			"registry_auth": {Name: "registryAuth", MaxItemsOne: tfbridge.False()},
		},
		Resources: map[string]*tfbridge.ResourceInfo{
			"docker_container": {
				Tok: resource("container", "Container"),
				// Fixed names and host ports: the old container must be gone before its replacement starts.
				DeleteBeforeReplace: true,
				Fields: map[string]*tfbridge.SchemaInfo{
					// One command line, not a list of commands: the SDK keeps the singular.
					"command":           {Name: "command"},
					"networks_advanced": {Name: "networksAdvanced"},
				},
			},
			"docker_image": {
				Tok: resource("remoteImage", "RemoteImage"),
				// An image reference, not a resource name: listed here so that auto-naming leaves it alone.
				Fields: map[string]*tfbridge.SchemaInfo{"name": {Name: "name"}},
			},
			"docker_network": {Tok: resource("network", "Network")},
			"docker_volume":  {Tok: resource("volume", "Volume")},
		},
	}
	// A network or volume named by the program keeps its name, so replacing it must delete the old one first;
	// the bridge does that for properties marked as auto-named when a name is given explicitly.
	info.SetAutonaming(255, "-")
	return info
}

func main() {
	// No Pulumi schema is embedded: upstream generates it with tfgen at release time. Without it, GetSchema
	// answers an empty schema and the bridge skips its (warning-only) input type check; every other call works
	// from the Terraform schema and the mapping above.
	tfbridge.Main("docker", version, providerInfo(), nil)
}
