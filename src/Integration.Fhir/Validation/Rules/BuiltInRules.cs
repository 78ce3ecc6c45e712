namespace Integration.Fhir.Validation.Rules;

/// <summary>The rules the hub always checks, without MedCom's packages: messaging-level rules for every message, then the
/// rules of its type.</summary>
internal static class BuiltInRules
{
    public static void Check(MessageContext message, IssueList issues)
    {
        EnvelopeRules.Check(message, issues);
        OrganizationRules.Check(message, issues);
        PatientRules.Check(message, issues);
        TimestampRules.Check(message, issues);
        switch (message.Kind)
        {
            case MessageKind.HospitalNotification:
                HospitalNotificationRules.Check(message, issues);
                break;
            case MessageKind.CareCommunication or MessageKind.CareCommunication4:
                CareCommunicationRules.Check(message, issues);
                break;
            case MessageKind.Acknowledgement:
                AcknowledgementRules.Check(message, issues);
                break;
            case MessageKind.EpisodeStatus:
                EpisodeStatusRules.Check(message, issues);
                break;
            case MessageKind.AdmissionReport:
                AdmissionReportRules.Check(message, issues);
                break;
            case MessageKind.TrainingPlan:
                TrainingPlanRules.Check(message, issues);
                break;
            case MessageKind.Referral:
                ReferralRules.Check(message, issues);
                break;
        }
    }
}
