package blueprism_test

import (
	"testing"

	"bureau/connector/blueprism/bpsim"
	"bureau/connector/contract"
	"bureau/connector/simkit"

	_ "bureau/connector/blueprism"
)

func TestContract(t *testing.T) {
	contract.Run(t, "blue-prism", func(o simkit.Options) simkit.Sim { return bpsim.New(o) })
}
