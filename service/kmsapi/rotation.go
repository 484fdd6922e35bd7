package kmsapi

import (
	"time"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awsjson"
)

func init() {
	ops["GetKeyRotationStatus"] = (*Service).getKeyRotationStatus
}

// managedRotationDays is the rotation period of AWS managed keys, which KMS
// rotates every year and reports as always enabled.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html
const managedRotationDays = 365

// rotationStatus is GetKeyRotationStatus's response.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html#API_GetKeyRotationStatus_ResponseSyntax
type rotationStatus struct {
	KeyId                string             `json:"KeyId"`
	KeyRotationEnabled   bool               `json:"KeyRotationEnabled"`
	RotationPeriodInDays int                `json:"RotationPeriodInDays,omitempty"`
	NextRotationDate     *awsjson.Timestamp `json:"NextRotationDate,omitempty"`
}

// getKeyRotationStatus implements GetKeyRotationStatus (kms:GetKeyRotationStatus,
// usable across accounts with the key ARN). verdict does not implement
// EnableKeyRotation, so a customer managed key never has automatic rotation;
// an AWS managed key always has it, every 365 days. A key pending deletion
// reports false whatever its setting.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html
func (s *Service) getKeyRotationStatus(r *request) (any, error) {
	var in struct {
		KeyId string `json:"KeyId"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	k, err := s.key(r, in.KeyId, "kms:GetKeyRotationStatus", true)
	if err != nil {
		return nil, err
	}
	return keyRotation(k, r.Now), nil
}

// keyRotation is the rotation status of k at now.
func keyRotation(k *model.KMSKey, now time.Time) rotationStatus {
	st := rotationStatus{KeyId: keyARN(k)}
	if k.Manager != "AWS" || k.State == model.KeyPendingDeletion {
		return st
	}
	st.KeyRotationEnabled = true
	st.RotationPeriodInDays = managedRotationDays
	// The next anniversary of creation, in whole periods, computed
	// without a loop so that any creation date costs the same.
	periods := 0
	if now.After(k.Created) {
		periods = int(now.Sub(k.Created)/(managedRotationDays*24*time.Hour)) + 1
	}
	next := k.Created.AddDate(0, 0, managedRotationDays*periods)
	if !next.After(now) {
		next = next.AddDate(0, 0, managedRotationDays)
	}
	st.NextRotationDate = &awsjson.Timestamp{Time: next}
	return st
}
