package robomotion_test

import (
	"testing"

	"bureau/connector/contract"
	_ "bureau/connector/robomotion"
	"bureau/connector/robomotion/robosim"
	"bureau/connector/simkit"
)

func TestContract(t *testing.T) {
	contract.Run(t, "robomotion", func(o simkit.Options) simkit.Sim { return robosim.New(o) })
}
