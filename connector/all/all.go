// Package all registers every built-in provider; import it for its side
// effect wherever providers are looked up by name.
package all

import (
	_ "bureau/connector/automationanywhere"
	_ "bureau/connector/blueprism"
	_ "bureau/connector/demo"
	_ "bureau/connector/powerautomate"
	_ "bureau/connector/robomotion"
	_ "bureau/connector/uipath"
)
