package aasim

import (
	"encoding/json"
	"net/http"
	"slices"
)

type deployRequest struct {
	FileID                json.Number              `json:"fileId"`
	RunAsUserIDs          []json.Number            `json:"runAsUserIds"`
	PoolIDs               []json.Number            `json:"poolIds"`
	OverrideDefaultDevice bool                     `json:"overrideDefaultDevice"`
	BotInput              map[string]botInputValue `json:"botInput"`
	CallbackInfo          json.RawMessage          `json:"callbackInfo"`
}

type botInputValue struct {
	Type    string  `json:"type"`
	String  *string `json:"string"`
	Number  *string `json:"number"`
	Boolean *string `json:"boolean"`
}

// deploy is POST /v3/automations/deploy: the bot runs as the first
// run-as user on that user's default device. The activity is listed at
// once as QUEUED. Assumption: a real Control Room may list it a moment
// later; the connector copes with both.
func (s *Sim) deploy(w http.ResponseWriter, r *http.Request) {
	var req deployRequest
	if e := decodeBody(r, &req); e != nil {
		writeError(w, e)
		return
	}
	if e := checkBotInput(req.BotInput); e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	bot, e := s.deployable(req.FileID.String())
	if e != nil {
		writeError(w, e)
		return
	}
	runAs, e := s.runAsUser(req)
	if e != nil {
		writeError(w, e)
		return
	}
	a := s.newActivity(bot, s.deviceOf(runAs.id), s.now())
	a.live = true
	a.final, a.message = s.outcome(bot)
	s.activities = append(s.activities, a)
	writeJSON(w, http.StatusOK, map[string]string{"automationId": a.automationID, "deploymentId": a.deploymentID})
}

func (s *Sim) deployable(fileID string) (record, *apiError) {
	if fileID == "" {
		return nil, errorf(http.StatusBadRequest, "deploy.file.required", "fileId is required")
	}
	for _, f := range s.files {
		if f["id"] != fileID {
			continue
		}
		if f["type"] != botType {
			return nil, errorf(http.StatusBadRequest, "deploy.file.not.bot", "File %s is not a task bot", fileID)
		}
		return f, nil
	}
	return nil, errorf(http.StatusNotFound, "repository.file.not.found", "File with id %s not found", fileID)
}

func (s *Sim) runAsUser(req deployRequest) (user, *apiError) {
	if len(req.RunAsUserIDs) == 0 {
		return user{}, errorf(http.StatusBadRequest, "deploy.runas.required", "At least one run-as user is required")
	}
	var first user
	for i, want := range req.RunAsUserIDs {
		j := slices.IndexFunc(s.users, func(u user) bool { return u.id == want.String() && u.runAs })
		if j < 0 {
			return user{}, errorf(http.StatusBadRequest, "deploy.runas.invalid", "User %s is not a run-as user with an unattended Bot Runner license", want)
		}
		if i == 0 {
			first = s.users[j]
		}
	}
	return first, nil
}

func checkBotInput(in map[string]botInputValue) *apiError {
	for name, v := range in {
		var val *string
		switch v.Type {
		case "STRING":
			val = v.String
		case "NUMBER":
			val = v.Number
		case "BOOLEAN":
			val = v.Boolean
		default:
			return errorf(http.StatusBadRequest, "deploy.botinput.invalid", "Bot input '%s' has unsupported type '%s'", name, v.Type)
		}
		if val == nil {
			return errorf(http.StatusBadRequest, "deploy.botinput.invalid", "Bot input '%s' of type %s has no value", name, v.Type)
		}
	}
	return nil
}

// outcome: one bot in four fails when run, the rest complete.
func (s *Sim) outcome(bot record) (string, string) {
	i := slices.IndexFunc(s.bots(), func(b record) bool { return b["id"] == bot["id"] })
	if i%4 == 3 {
		return "RUN_FAILED", failMessages[i%len(failMessages)]
	}
	return "COMPLETED", ""
}
