// Command kube-apiserver builds the Kubernetes API server from the published
// k8s.io/kubernetes module, so the test control plane needs no source checkout.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
