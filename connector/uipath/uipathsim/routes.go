package uipathsim

import (
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// request is one parsed OData call.
type request struct {
	w      http.ResponseWriter
	r      *http.Request
	grant  grant
	set    string // Jobs
	key    int64  // the (Id) in Jobs(5), 0 when absent
	hasKey bool
	action string // UiPath.Server.Configuration.OData.StartJobs
}

var odataPath = regexp.MustCompile(`^odata/([A-Za-z]+)(?:\(([^)]*)\))?(?:/(.+))?$`)

const actionPrefix = "UiPath.Server.Configuration.OData."

func (s *Sim) orchestrator(w http.ResponseWriter, r *http.Request, api string) {
	g, ok := s.authorized(w, r)
	if !ok {
		return
	}
	if t := r.Header.Get("X-UIPATH-TenantName"); s.mode == onPrem && t != "" && !strings.EqualFold(t, s.tenant) {
		// Assumption: the wording for an unknown tenant is not documented.
		writeError(w, http.StatusBadRequest, codeInvalidRequest, "Tenant '"+t+"' does not exist.")
		return
	}
	m := odataPath.FindStringSubmatch(api)
	if m == nil {
		writeError(w, http.StatusNotFound, 0, "No HTTP resource was found that matches the request URI.")
		return
	}
	req := &request{w: w, r: r, grant: g, set: m[1], action: strings.TrimPrefix(m[3], actionPrefix)}
	if m[2] != "" || strings.Contains(api, "()") {
		n, err := strconv.ParseInt(m[2], 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, codeInvalidRequest, "The key value '"+m[2]+"' is not valid for the key of type Edm.Int64.")
			return
		}
		req.key, req.hasKey = n, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dispatch(req)
}

// route names one operation: method, entity set, keyed, action.
type route struct {
	method string
	set    string
	keyed  bool
	action string
}

type handler struct {
	scope, variant string // OR.Jobs, Read: needs OR.Jobs or OR.Jobs.Read
	folder         bool   // folder-scoped: needs a folder header
	serve          func(*request, *folder)
}

func (s *Sim) routes() map[route]handler {
	return map[route]handler{
		{"GET", "Folders", false, ""}:          {"OR.Folders", "Read", false, s.listFolders},
		{"GET", "Releases", false, ""}:         {"OR.Execution", "Read", true, s.listReleases},
		{"GET", "Releases", true, ""}:          {"OR.Execution", "Read", true, s.getRelease},
		{"GET", "Jobs", false, ""}:             {"OR.Jobs", "Read", true, s.listJobs},
		{"GET", "Jobs", true, ""}:              {"OR.Jobs", "Read", true, s.getJob},
		{"POST", "Jobs", false, "StartJobs"}:   {"OR.Jobs", "Write", true, s.startJobs},
		{"POST", "Jobs", true, "StopJob"}:      {"OR.Jobs", "Write", true, s.stopJob},
		{"GET", "ProcessSchedules", false, ""}: {"OR.Jobs", "Read", true, s.listSchedules},
		{"GET", "Sessions", false, ""}:         {"OR.Robots", "Read", true, s.listSessions},
		{"GET", "Robots", false, ""}:           {"OR.Robots", "Read", true, s.listRobots},
	}
}

func (s *Sim) dispatch(q *request) {
	routes := s.routes()
	rt := route{q.r.Method, q.set, q.hasKey, q.action}
	h, ok := routes[rt]
	if !ok {
		for other := range routes {
			if other.set == rt.set && other.keyed == rt.keyed && other.action == rt.action {
				writeError(q.w, http.StatusMethodNotAllowed, 0, "The requested resource does not support http method '"+rt.method+"'.")
				return
			}
		}
		writeError(q.w, http.StatusNotFound, 0, "No HTTP resource was found that matches the request URI.")
		return
	}
	if !requireScope(q.w, q.grant, h.scope, h.variant) {
		return
	}
	var f *folder
	if h.folder {
		if f, ok = s.folderOf(q.w, q.r); !ok {
			return
		}
	}
	h.serve(q, f)
}

// folderOf reads the folder context from any of the four headers
// Orchestrator accepts: folder Id, folder key, plain path, or the path
// base64-encoded as UTF-16LE.
func (s *Sim) folderOf(w http.ResponseWriter, r *http.Request) (*folder, bool) {
	h := r.Header
	var match func(*folder) bool
	switch {
	case h.Get("X-UIPATH-OrganizationUnitId") != "":
		id, _ := strconv.ParseInt(h.Get("X-UIPATH-OrganizationUnitId"), 10, 64)
		match = func(f *folder) bool { return f.id == id }
	case h.Get("X-UIPATH-FolderKey") != "":
		key := strings.ToLower(h.Get("X-UIPATH-FolderKey"))
		match = func(f *folder) bool { return uuid(uuidFolder, f.id) == key }
	case h.Get("X-UIPATH-FolderPath") != "":
		path := h.Get("X-UIPATH-FolderPath")
		match = func(f *folder) bool { return strings.EqualFold(f.path, path) }
	case h.Get("X-UIPATH-FolderPath-Encoded") != "":
		path, ok := decodeFolderPath(h.Get("X-UIPATH-FolderPath-Encoded"))
		match = func(f *folder) bool { return ok && strings.EqualFold(f.path, path) }
	default:
		writeError(w, http.StatusBadRequest, codeFolderIsRequired, "An organization unit is required for this action.")
		return nil, false
	}
	for _, f := range s.folders {
		if match(f) {
			return f, true
		}
	}
	writeError(w, http.StatusBadRequest, codeFolderNotFound, "Folder does not exist or the user does not have access to the folder.")
	return nil, false
}

// decodeFolderPath reverses X-UIPATH-FolderPath-Encoded: base64 of the
// path's UTF-16LE bytes.
func decodeFolderPath(s string) (string, bool) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(raw)%2 != 0 {
		return "", false
	}
	units := make([]uint16, len(raw)/2)
	for i := range units {
		units[i] = binary.LittleEndian.Uint16(raw[2*i:])
	}
	return string(utf16.Decode(units)), true
}

// EncodeFolderPath is the X-UIPATH-FolderPath-Encoded form of a path.
func EncodeFolderPath(path string) string {
	units := utf16.Encode([]rune(path))
	raw := make([]byte, 2*len(units))
	for i, u := range units {
		binary.LittleEndian.PutUint16(raw[2*i:], u)
	}
	return base64.StdEncoding.EncodeToString(raw)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
