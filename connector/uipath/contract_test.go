package uipath_test

import (
	"testing"

	"bureau/connector/contract"
	"bureau/connector/simkit"
	_ "bureau/connector/uipath"
	"bureau/connector/uipath/uipathsim"
)

func TestContract(t *testing.T) {
	t.Run("cloud", func(t *testing.T) {
		contract.Run(t, "uipath-cloud", func(o simkit.Options) simkit.Sim { return uipathsim.NewCloud(o) })
	})
	t.Run("onprem", func(t *testing.T) {
		contract.Run(t, "uipath-onprem", func(o simkit.Options) simkit.Sim { return uipathsim.NewOnPrem(o) })
	})
}
