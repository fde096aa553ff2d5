// etcd for the local control plane of the integration tier: the upstream
// server's own entry point, built from the pinned module (no prebuilt binary
// can be downloaded on the machines this project is tested on).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
