package automationanywhere_test

import (
	"testing"

	"bureau/connector/automationanywhere/aasim"
	"bureau/connector/contract"
	"bureau/connector/simkit"

	_ "bureau/connector/automationanywhere"
)

func TestContract(t *testing.T) {
	contract.Run(t, "automation-anywhere", func(o simkit.Options) simkit.Sim { return aasim.New(o) })
}
