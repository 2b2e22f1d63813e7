package uipathsim

import (
	"fmt"
	"time"
)

// The wire shapes, PascalCase as Orchestrator writes them. Members the
// real server writes as null are omitted (see ts).

type folderDTO struct {
	Key                string `json:"Key"`
	DisplayName        string `json:"DisplayName"`
	FullyQualifiedName string `json:"FullyQualifiedName"`
	FolderType         string `json:"FolderType,omitempty"` // API v20; absent in v16
	ProvisionType      string `json:"ProvisionType"`
	PermissionModel    string `json:"PermissionModel"`
	ParentID           *int64 `json:"ParentId,omitempty"`
	ParentKey          string `json:"ParentKey,omitempty"`
	ID                 int64  `json:"Id"`
}

type releaseDTO struct {
	Key                                string     `json:"Key"`
	ProcessKey                         string     `json:"ProcessKey"`
	ProcessVersion                     string     `json:"ProcessVersion"`
	IsLatestVersion                    bool       `json:"IsLatestVersion"`
	IsProcessDeleted                   bool       `json:"IsProcessDeleted"`
	Description                        string     `json:"Description,omitempty"`
	Name                               string     `json:"Name"`
	EntryPointPath                     string     `json:"EntryPointPath"`
	InputArguments                     string     `json:"InputArguments,omitempty"`
	ProcessType                        string     `json:"ProcessType"`
	IsAttended                         bool       `json:"IsAttended"`
	JobPriority                        string     `json:"JobPriority"`
	SpecificPriorityValue              int        `json:"SpecificPriorityValue"`
	OrganizationUnitID                 int64      `json:"OrganizationUnitId"`
	OrganizationUnitFullyQualifiedName string     `json:"OrganizationUnitFullyQualifiedName"`
	LastModificationTime               *odataTime `json:"LastModificationTime,omitempty"`
	CreationTime                       *odataTime `json:"CreationTime,omitempty"`
	ID                                 int64      `json:"Id"`
}

type robotDTO struct {
	LicenseKey    string `json:"LicenseKey,omitempty"`
	MachineName   string `json:"MachineName"`
	MachineID     int64  `json:"MachineId"`
	Name          string `json:"Name"`
	Username      string `json:"Username"`
	Type          string `json:"Type"`
	HostingType   string `json:"HostingType"`
	ProvisionType string `json:"ProvisionType"`
	Enabled       bool   `json:"Enabled"`
	ID            int64  `json:"Id"`
}

type sessionDTO struct {
	Robot              *robotDTO  `json:"Robot,omitempty"`
	HostMachineName    string     `json:"HostMachineName"`
	MachineID          int64      `json:"MachineId"`
	MachineName        string     `json:"MachineName"`
	State              string     `json:"State"`
	ReportingTime      *odataTime `json:"ReportingTime,omitempty"`
	Info               string     `json:"Info,omitempty"`
	IsUnresponsive     bool       `json:"IsUnresponsive"`
	OrganizationUnitID int64      `json:"OrganizationUnitId"`
	FolderName         string     `json:"FolderName"`
	RobotSessionType   string     `json:"RobotSessionType"`
	Version            string     `json:"Version"`
	Platform           string     `json:"Platform"`
	ID                 int64      `json:"Id"`
}

type scheduleDTO struct {
	Key                        string     `json:"Key"`
	Enabled                    bool       `json:"Enabled"`
	Name                       string     `json:"Name"`
	ReleaseID                  int64      `json:"ReleaseId"`
	ReleaseKey                 string     `json:"ReleaseKey"`
	ReleaseName                string     `json:"ReleaseName"`
	PackageName                string     `json:"PackageName"`
	RuntimeType                string     `json:"RuntimeType"`
	StartProcessCron           string     `json:"StartProcessCron,omitempty"`
	StartProcessCronSummary    string     `json:"StartProcessCronSummary,omitempty"`
	StartProcessNextOccurrence *odataTime `json:"StartProcessNextOccurrence,omitempty"`
	StartStrategy              int        `json:"StartStrategy"`
	TimeZoneID                 string     `json:"TimeZoneId"`
	TimeZoneIana               string     `json:"TimeZoneIana"`
	QueueDefinitionID          int64      `json:"QueueDefinitionId,omitempty"`
	QueueDefinitionName        string     `json:"QueueDefinitionName,omitempty"`
	ID                         int64      `json:"Id"`
}

type jobErrorDTO struct {
	Code      string     `json:"code"`
	Title     string     `json:"title"`
	Detail    string     `json:"detail"`
	Category  string     `json:"category"`
	Timestamp *odataTime `json:"timestamp,omitempty"`
}

type jobDTO struct {
	Key                                string       `json:"Key"`
	StartTime                          *odataTime   `json:"StartTime,omitempty"`
	EndTime                            *odataTime   `json:"EndTime,omitempty"`
	State                              string       `json:"State"`
	JobPriority                        string       `json:"JobPriority"`
	SpecificPriorityValue              int          `json:"SpecificPriorityValue"`
	Robot                              *robotDTO    `json:"Robot,omitempty"`
	Release                            *releaseDTO  `json:"Release,omitempty"`
	Source                             string       `json:"Source"`
	SourceType                         string       `json:"SourceType"`
	BatchExecutionKey                  string       `json:"BatchExecutionKey"`
	Info                               string       `json:"Info,omitempty"`
	CreationTime                       odataTime    `json:"CreationTime"`
	StartingScheduleID                 *int64       `json:"StartingScheduleId,omitempty"`
	ReleaseName                        string       `json:"ReleaseName"`
	Type                               string       `json:"Type"`
	InputArguments                     string       `json:"InputArguments,omitempty"`
	OutputArguments                    string       `json:"OutputArguments,omitempty"`
	HostMachineName                    string       `json:"HostMachineName,omitempty"`
	HasMediaRecorded                   bool         `json:"HasMediaRecorded"`
	HasVideoRecorded                   bool         `json:"HasVideoRecorded"`
	StopStrategy                       string       `json:"StopStrategy,omitempty"`
	RuntimeType                        string       `json:"RuntimeType"`
	ReleaseVersionID                   int64        `json:"ReleaseVersionId"`
	EntryPointPath                     string       `json:"EntryPointPath"`
	OrganizationUnitID                 int64        `json:"OrganizationUnitId"`
	OrganizationUnitFullyQualifiedName string       `json:"OrganizationUnitFullyQualifiedName"`
	ProcessType                        string       `json:"ProcessType"`
	ResumeOnSameContext                bool         `json:"ResumeOnSameContext"`
	RemoteControlAccess                string       `json:"RemoteControlAccess"`
	LastModificationTime               *odataTime   `json:"LastModificationTime,omitempty"` // API v20; absent in v16
	JobError                           *jobErrorDTO `json:"JobError,omitempty"`             // API v20; absent in v16
	ID                                 int64        `json:"Id"`
}

// uuid makes a stable, well-formed GUID for an entity: kind tells the
// entity sets apart, n is its Id.
func uuid(kind uint32, n int64) string {
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", kind, n>>48&0xffff, n>>36&0xfff, n>>24&0xfff, n&0xffffffffffff)
}

const (
	uuidFolder uint32 = 0x5f01d3e0 + iota
	uuidRelease
	uuidJob
	uuidSchedule
	uuidBatch
	uuidLicense
)

func (s *Sim) folderDTO(f *folder) folderDTO {
	d := folderDTO{
		Key: uuid(uuidFolder, f.id), DisplayName: f.name, FullyQualifiedName: f.path,
		ProvisionType: "Automatic", PermissionModel: "FineGrained", ID: f.id,
	}
	if s.mode == cloud {
		d.FolderType = "Standard"
	}
	if f.parent != nil {
		d.ParentID, d.ParentKey = &f.parent.id, uuid(uuidFolder, f.parent.id)
	}
	return d
}

func releaseDTOOf(r *release) releaseDTO {
	return releaseDTO{
		Key: uuid(uuidRelease, r.id), ProcessKey: r.pkg, ProcessVersion: r.version, IsLatestVersion: true,
		Description: r.description, Name: r.name, EntryPointPath: "Main.xaml", InputArguments: r.input,
		ProcessType: "Process", JobPriority: "Normal", SpecificPriorityValue: 45,
		OrganizationUnitID: r.folder.id, OrganizationUnitFullyQualifiedName: r.folder.path,
		LastModificationTime: ts(r.created.Add(2 * time.Hour)), CreationTime: ts(r.created), ID: r.id,
	}
}

func robotDTOOf(r *robot) *robotDTO {
	return &robotDTO{
		LicenseKey: uuid(uuidLicense, r.id), MachineName: r.machine, MachineID: 601, Name: r.name, Username: r.user,
		Type: "Unattended", HostingType: "Floating", ProvisionType: "Automatic", Enabled: true, ID: r.id,
	}
}

func scheduleDTOOf(sc *schedule, now time.Time) scheduleDTO {
	r := sc.release
	d := scheduleDTO{
		Key: uuid(uuidSchedule, sc.id), Enabled: sc.enabled, Name: sc.name, ReleaseID: r.id,
		ReleaseKey: uuid(uuidRelease, r.id), ReleaseName: r.name, PackageName: r.pkg, RuntimeType: "Unattended",
		StartProcessCron: sc.cron, StartProcessCronSummary: sc.summary, TimeZoneID: "UTC", TimeZoneIana: "Etc/UTC", ID: sc.id,
	}
	if sc.next != nil && sc.enabled {
		d.StartProcessNextOccurrence = ts(sc.next(now))
	}
	if sc.queue != "" {
		d.QueueDefinitionID, d.QueueDefinitionName = 700+sc.id, sc.queue
	}
	return d
}
