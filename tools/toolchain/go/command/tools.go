//go:build tools

// Package tools records the provider's main package, so that `go mod tidy` keeps its dependencies in go.mod
// and go.sum. The step builds it with -ldflags "-X .../provider/pkg/version.Version=v1.2.1".
package tools

import (
	_ "github.com/pulumi/pulumi-command/provider/cmd/pulumi-resource-command"
)
