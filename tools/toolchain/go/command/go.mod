// Wrapper module for pulumi-resource-command 1.2.1 (tools/toolchain/steps/30-plugins.sh; docs/toolchain.md).
// The provider lives in the nested module provider/ of pulumi/pulumi-command, which has no tags of its own:
// it is pinned by the pseudo-version of tag v1.2.1's commit 7f3eb6f3b77c.
// NOT YET BUILDABLE: the Go module proxy refuses this pseudo-version, so go.sum cannot be written yet.
module local/pulumi-resource-command

go 1.25.11

require github.com/pulumi/pulumi-command/provider v0.0.0-20260303235922-7f3eb6f3b77c
