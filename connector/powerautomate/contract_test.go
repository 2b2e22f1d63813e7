package powerautomate_test

import (
	"testing"

	"bureau/connector/contract"
	_ "bureau/connector/powerautomate"
	"bureau/connector/powerautomate/pasim"
	"bureau/connector/simkit"
)

func TestContract(t *testing.T) {
	contract.Run(t, "power-automate", func(o simkit.Options) simkit.Sim { return pasim.New(o) })
}
