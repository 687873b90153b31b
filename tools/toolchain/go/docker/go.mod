// Wrapper module for pulumi-resource-docker 5.0.0 (tools/toolchain/steps/30-plugins.sh; docs/toolchain.md).
// provider/v5 has no tags of its own: pinned by the pseudo-version of tag v5.0.0's commit c2baf6a4997f.
// Upstream builds the Terraform half from a patched git submodule; here it comes from kreuzwerker's module at
// the submodule's commit, and our ./shim replaces upstream's patch 0001 (it only exposes the provider).
// NOT YET BUILDABLE: the Go module proxy refuses these pseudo-versions, so go.sum cannot be written yet.
module local/pulumi-resource-docker

go 1.25.8

require (
	github.com/pulumi/pulumi-docker/provider/v5 v5.0.0-20260421125334-c2baf6a4997f
	github.com/terraform-providers/terraform-provider-docker v0.0.0
	github.com/terraform-providers/terraform-provider-docker/shim v0.0.0
)

replace (
	github.com/hashicorp/terraform-plugin-sdk/v2 => github.com/pulumi/terraform-plugin-sdk/v2 v2.0.0-20260318212141-5525259d096b
	github.com/terraform-providers/terraform-provider-docker => github.com/kreuzwerker/terraform-provider-docker v0.0.0-20260414203857-619686ddb44a
	github.com/terraform-providers/terraform-provider-docker/shim => ./shim
)
