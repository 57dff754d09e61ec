// Command etcd builds the etcd server from its published go.etcd.io/etcd/server/v3
// module, so the test control plane needs no source checkout.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
