// Wrapper module for pulumi-resource-random 4.21.1 (tools/toolchain/steps/30-plugins.sh; docs/toolchain.md).
// provider/v4 has no tags of its own: pinned by the pseudo-version of tag v4.21.1's commit f2d8b029d0f7.
// Its shim is a nested module upstream (not in the provider's zip), fetched from the same commit.
// NOT YET BUILDABLE: the Go module proxy refuses these pseudo-versions, so go.sum cannot be written yet.
module local/pulumi-resource-random

go 1.25.11

require (
	github.com/pulumi/pulumi-random/provider/v4 v4.0.0-20260722185042-f2d8b029d0f7
	github.com/terraform-providers/terraform-provider-random/shim v0.0.0
)

replace (
	github.com/hashicorp/terraform-plugin-sdk/v2 => github.com/pulumi/terraform-plugin-sdk/v2 v2.0.0-20260318212141-5525259d096b
	github.com/terraform-providers/terraform-provider-random/shim => github.com/pulumi/pulumi-random/provider/shim v0.0.0-20260722185042-f2d8b029d0f7
)
