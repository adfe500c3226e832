// GENERATED FILE — do not edit. Made by scripts/generate-schema-rules.py from the official
// OCPP JSON schemas, with:
//
//     python3 scripts/generate-schema-rules.py /work/shared/ocpp-schemas > Sources/OCPP/SchemaRules.generated.swift
//
// Input: /work/shared/ocpp-schemas (SHA-256 over the file names and bytes: abb8434909f262a796ad6726ef60cc14494674cb889340cf0f4047b91b2f2983)
//   v16/ 78 files -> OCPP 1.6: 39 actions (39 requests, 39 responses), 142 rule nodes, 43 enumerations
//   v201/ 128 files -> OCPP 2.0.1: 64 actions (64 requests, 64 responses), 291 rule nodes, 78 enumerations
//   v21/ 181 files -> OCPP 2.1: 91 actions (91 requests, 90 responses), 479 rule nodes, 99 enumerations
//
// Why text and not Swift values: a nested literal of this size takes the type checker
// minutes; raw strings compile instantly and SchemaRules parses an action's lines on its
// first use. The line format is documented at the top of the generator (format 1).
// Nothing here reads schema files at run time.

enum SchemaRulesData {
    /// The line format of the texts below; SchemaRules refuses any other.
    static let format = 1

    /// The OCPP versions with rules, as the tool names them.
    static let versions = ["1.6", "2.0.1", "2.1"]

    /// The rule text of one version, or nil.
    static func text(version: String) -> String? {
        switch version {
        case "1.6": return v16
        case "2.0.1": return v201
        case "2.1": return v21
        default: return nil
        }
    }

    /// OCPP 1.6, from v16/.
    private static let v16 = #"""
        E Accepted|Blocked|Expired|Invalid|ConcurrentTx
        E Accepted|Pending|Rejected
        E Accepted|Rejected
        E Inoperative|Operative
        E Accepted|Rejected|Scheduled
        E Accepted|Rejected|RebootRequired|NotSupported
        E ChargePointMaxProfile|TxDefaultProfile|TxProfile
        E Accepted|Unknown
        E Accepted|Rejected|UnknownMessageId|UnknownVendorId
        E SHA256|SHA384|SHA512
        E Accepted|Failed|NotFound
        E Idle|Uploaded|UploadFailed|Uploading
        E BootNotification|LogStatusNotification|FirmwareStatusNotification|Heartbeat|MeterValues|SignChargePointCertificate|StatusNotification
        E Accepted|Rejected|NotImplemented
        E Downloaded|DownloadFailed|Downloading|Idle|InstallationFailed|Installing|Installed
        E A|W
        E CentralSystemRootCertificate|ManufacturerRootCertificate
        E Accepted|NotFound
        E DiagnosticsLog|SecurityLog
        E Accepted|Rejected|AcceptedCanceled
        E Accepted|Failed|Rejected
        E BadMessage|Idle|NotSupportedOperation|PermissionDenied|Uploaded|UploadFailure|Uploading
        E Interruption.Begin|Interruption.End|Sample.Clock|Sample.Periodic|Transaction.Begin|Transaction.End|Trigger|Other
        E Raw|SignedData
        E Energy.Active.Export.Register|Energy.Active.Import.Register|Energy.Reactive.Export.Register|Energy.Reactive.Import.Register|Energy.Active.Export.Interval|Energy.Active.Import.Interval|Energy.Reactive.Export.Interval|Energy.Reactive.Import.Interval|Power.Active.Export|Power.Active.Import|Power.Offered|Power.Reactive.Export|Power.Reactive.Import|Power.Factor|Current.Import|Current.Export|Current.Offered|Voltage|Frequency|Temperature|SoC|RPM
        E L1|L2|L3|N|L1-N|L2-N|L3-N|L1-L2|L2-L3|L3-L1
        E Cable|EV|Inlet|Outlet|Body
        E Wh|kWh|varh|kvarh|W|kW|VA|kVA|var|kvar|A|V|K|Celcius|Celsius|Fahrenheit|Percent|Hertz
        E Absolute|Recurring|Relative
        E Daily|Weekly
        E Accepted|Faulted|Occupied|Rejected|Unavailable
        E Hard|Soft
        E Differential|Full
        E Accepted|Failed|NotSupported|VersionMismatch
        E Accepted|Rejected|NotSupported
        E Downloaded|DownloadFailed|Downloading|DownloadScheduled|DownloadPaused|Idle|InstallationFailed|Installing|Installed|InstallRebooting|InstallScheduled|InstallVerificationFailed|InvalidSignature|SignatureVerified
        E Accepted|Rejected|AcceptedCanceled|InvalidCertificate|RevokedCertificate
        E ConnectorLockFailure|EVCommunicationError|GroundFailure|HighTemperature|InternalError|LocalListConflict|NoError|OtherError|OverCurrentFailure|PowerMeterFailure|PowerSwitchFailure|ReaderFailure|ResetFailure|UnderVoltage|OverVoltage|WeakSignal
        E Available|Preparing|Charging|SuspendedEVSE|SuspendedEV|Finishing|Reserved|Unavailable|Faulted
        E EmergencyStop|EVDisconnected|HardReset|Local|Other|PowerLoss|Reboot|Remote|SoftReset|UnlockCommand|DeAuthorized
        E Wh|kWh|varh|kvarh|W|kW|VA|kVA|var|kvar|A|V|K|Celcius|Celsius|Fahrenheit|Percent
        E BootNotification|DiagnosticsStatusNotification|FirmwareStatusNotification|Heartbeat|MeterValues|StatusNotification
        E Unlocked|UnlockFailed|NotSupported
        N s L20
        N o C !idTag=0
        N s D
        N s E0
        N o C !status=3 .expiryDate=2 .parentIdTag=0
        N o C !idTagInfo=4
        N s L25
        N s L50
        N o C !chargePointVendor=0 !chargePointModel=0 .chargePointSerialNumber=6 .chargeBoxSerialNumber=6 .firmwareVersion=7 .iccid=0 .imsi=0 .meterType=6 .meterSerialNumber=6
        N s E1
        N i
        N o C !status=9 !currentTime=2 !interval=10
        N o C !reservationId=10
        N s E2
        N o C !status=13
        N s L10000
        N o C !certificateChain=15
        N s E3
        N o C !connectorId=10 !type=17
        N s E4
        N o C !status=19
        N s L500
        N o C !key=7 !value=21
        N s E5
        N o C !status=23
        N o C
        N s E6
        N o C .id=10 .connectorId=10 .chargingProfilePurpose=26 .stackLevel=10
        N s E7
        N o C !status=28
        N s L255
        N s
        N o C !vendorId=30 .messageId=7 .data=31
        N s E8
        N o C !status=33 .data=31
        N s E9
        N s L128
        N s L40
        N o C !hashAlgorithm=35 !issuerNameHash=36 !issuerKeyHash=36 !serialNumber=37
        N o C !certificateHashData=38
        N s E10
        N o C !status=40
        N s E11
        N o C !status=42
        N s E12
        N o C !requestedMessage=44 .connectorId=10
        N s E13
        N o C !status=46
        N s E14
        N o C !status=48
        N s E15
        N o C !connectorId=10 !duration=10 .chargingRateUnit=50
        N n
        N o C !startPeriod=10 !limit=52 .numberPhases=10
        N a I53
        N o C !chargingRateUnit=50 !chargingSchedulePeriod=54 .duration=10 .startSchedule=2 .minChargingRate=52
        N o C !status=13 .connectorId=10 .scheduleStart=2 .chargingSchedule=55
        N a I7
        N o C .key=57
        N b
        N o C !key=7 !readonly=59 .value=21
        N a I60
        N o C .configurationKey=61 .unknownKey=57
        N o C !location=31 .retries=10 .retryInterval=10 .startTime=2 .stopTime=2
        N o C .fileName=30
        N s E16
        N o C !certificateType=65
        N a I38 k1
        N s E17
        N o C !status=68 .certificateHashData=67
        N o C !listVersion=10
        N s L512
        N o C !remoteLocation=71 .oldestTimestamp=2 .latestTimestamp=2
        N s E18
        N o C !logType=73 !requestId=10 !log=72 .retries=10 .retryInterval=10
        N s E19
        N o C !status=75 .filename=30
        N o C !currentTime=2
        N s L5500
        N o C !certificateType=65 !certificate=78
        N s E20
        N o C !status=80
        N s E21
        N o C !status=82 .requestId=10
        N s E22
        N s E23
        N s E24
        N s E25
        N s E26
        N s E27
        N o C !value=31 .context=84 .format=85 .measurand=86 .phase=87 .location=88 .unit=89
        N a I90 k1
        N o C !timestamp=2 !sampledValue=91
        N a I92 k1
        N o C !connectorId=10 !meterValue=93 .transactionId=10
        N s E28
        N s E29
        N o C !chargingProfileId=10 !stackLevel=10 !chargingProfilePurpose=26 !chargingProfileKind=95 !chargingSchedule=55 .transactionId=10 .recurrencyKind=96 .validFrom=2 .validTo=2
        N o C !idTag=0 .connectorId=10 .chargingProfile=97
        N o C !transactionId=10
        N o C !connectorId=10 !expiryDate=2 !idTag=0 !reservationId=10 .parentIdTag=0
        N s E30
        N o C !status=101
        N s E31
        N o C !type=103
        N o C !type=7 !timestamp=2 .techInfo=30
        N o C !idTag=0 .idTagInfo=4
        N a I106
        N s E32
        N o C !listVersion=10 !updateType=108 .localAuthorizationList=107
        N s E33
        N o C !status=110
        N o C !connectorId=10 !csChargingProfiles=97
        N s E34
        N o C !status=113
        N o C !csr=78
        N s E35
        N o C !status=116 .requestId=10
        N s L800
        N o C !location=71 !retrieveDateTime=2 !signingCertificate=78 !signature=118 .installDateTime=2
        N o C !requestId=10 !firmware=119 .retries=10 .retryInterval=10
        N s E36
        N o C !status=121
        N o C !connectorId=10 !idTag=0 !meterStart=10 !timestamp=2 .reservationId=10
        N o C !idTagInfo=4 !transactionId=10
        N s E37
        N s E38
        N o C !connectorId=10 !errorCode=125 !status=126 .info=7 .timestamp=2 .vendorId=30 .vendorErrorCode=7
        N s E39
        N s E40
        N o C !value=31 .context=84 .format=85 .measurand=86 .phase=87 .location=88 .unit=129
        N a I130
        N o C !timestamp=2 !sampledValue=131
        N a I132
        N o C !transactionId=10 !timestamp=2 !meterStop=10 .idTag=0 .reason=128 .transactionData=133
        N o C .idTagInfo=4
        N s E41
        N o C !requestedMessage=136 .connectorId=10
        N o C !connectorId=10
        N s E42
        N o C !status=139
        N o C !location=31 !retrieveDate=2 .retries=10 .retryInterval=10
        A Authorize 1 5
        A BootNotification 8 11
        A CancelReservation 12 14
        A CertificateSigned 16 14
        A ChangeAvailability 18 20
        A ChangeConfiguration 22 24
        A ClearCache 25 14
        A ClearChargingProfile 27 29
        A DataTransfer 32 34
        A DeleteCertificate 39 41
        A DiagnosticsStatusNotification 43 25
        A ExtendedTriggerMessage 45 47
        A FirmwareStatusNotification 49 25
        A GetCompositeSchedule 51 56
        A GetConfiguration 58 62
        A GetDiagnostics 63 64
        A GetInstalledCertificateIds 66 69
        A GetLocalListVersion 25 70
        A GetLog 74 76
        A Heartbeat 25 77
        A InstallCertificate 79 81
        A LogStatusNotification 83 25
        A MeterValues 94 25
        A RemoteStartTransaction 98 14
        A RemoteStopTransaction 99 14
        A ReserveNow 100 102
        A Reset 104 14
        A SecurityEventNotification 105 25
        A SendLocalList 109 111
        A SetChargingProfile 112 114
        A SignCertificate 115 14
        A SignedFirmwareStatusNotification 117 25
        A SignedUpdateFirmware 120 122
        A StartTransaction 123 124
        A StatusNotification 127 25
        A StopTransaction 134 135
        A TriggerMessage 137 47
        A UnlockConnector 138 140
        A UpdateFirmware 141 25
        """#

    /// OCPP 2.0.1, from v201/.
    private static let v201 = #"""
        E Central|eMAID|ISO14443|ISO15693|KeyCode|Local|MacAddress|NoAuthorization
        E SHA256|SHA384|SHA512
        E Accepted|Blocked|ConcurrentTx|Expired|Invalid|NoCredit|NotAllowedTypeEVSE|NotAtThisLocation|NotAtThisTime|Unknown
        E ASCII|HTML|URI|UTF8
        E Accepted|SignatureError|CertificateExpired|CertificateRevoked|NoCertificateAvailable|CertChainError|ContractCancelled
        E ApplicationReset|FirmwareUpdate|LocalReset|PowerUp|RemoteReset|ScheduledReset|Triggered|Unknown|Watchdog
        E Accepted|Pending|Rejected
        E Accepted|Rejected
        E ChargingStationCertificate|V2GCertificate
        E Inoperative|Operative
        E Accepted|Rejected|Scheduled
        E ChargingStationExternalConstraints|ChargingStationMaxProfile|TxDefaultProfile|TxProfile
        E Accepted|Unknown
        E Accepted|Rejected|NotFound
        E EMS|Other|SO|CSO
        E Accepted|Rejected|Invalid
        E Accepted|Rejected|UnknownMessageId|UnknownVendorId
        E Accepted|Failed|NotFound
        E Downloaded|DownloadFailed|Downloading|DownloadScheduled|DownloadPaused|Idle|InstallationFailed|Installing|Installed|InstallRebooting|InstallScheduled|InstallVerificationFailed|InvalidSignature|SignatureVerified
        E Install|Update
        E Accepted|Failed
        E ConfigurationInventory|FullInventory|SummaryInventory
        E Accepted|Rejected|NotSupported|EmptyResultSet
        E Accepted|NoProfiles
        E W|A
        E AlwaysFront|InFront|NormalCycle
        E Charging|Faulted|Idle|Unavailable
        E V2GRootCertificate|MORootCertificate|CSMSRootCertificate|V2GCertificateChain|ManufacturerRootCertificate
        E Accepted|NotFound
        E DiagnosticsLog|SecurityLog
        E Accepted|Rejected|AcceptedCanceled
        E ThresholdMonitoring|DeltaMonitoring|PeriodicMonitoring
        E Active|Available|Enabled|Problem
        E Actual|Target|MinSet|MaxSet
        E Accepted|Rejected|UnknownComponent|UnknownVariable|NotSupportedAttributeType
        E V2GRootCertificate|MORootCertificate|CSMSRootCertificate|ManufacturerRootCertificate
        E Accepted|Rejected|Failed
        E BadMessage|Idle|NotSupportedOperation|PermissionDenied|Uploaded|UploadFailure|Uploading|AcceptedCanceled
        E Interruption.Begin|Interruption.End|Other|Sample.Clock|Sample.Periodic|Transaction.Begin|Transaction.End|Trigger
        E Current.Export|Current.Import|Current.Offered|Energy.Active.Export.Register|Energy.Active.Import.Register|Energy.Reactive.Export.Register|Energy.Reactive.Import.Register|Energy.Active.Export.Interval|Energy.Active.Import.Interval|Energy.Active.Net|Energy.Reactive.Export.Interval|Energy.Reactive.Import.Interval|Energy.Reactive.Net|Energy.Apparent.Net|Energy.Apparent.Import|Energy.Apparent.Export|Frequency|Power.Active.Export|Power.Active.Import|Power.Factor|Power.Offered|Power.Reactive.Export|Power.Reactive.Import|SoC|Voltage
        E L1|L2|L3|N|L1-N|L2-N|L3-N|L1-L2|L2-L3|L3-L1
        E Body|Cable|EV|Inlet|Outlet
        E CarbonDioxideEmission|RelativePricePercentage|RenewableGenerationPercentage
        E DC|AC_single_phase|AC_two_phase|AC_three_phase
        E Accepted|Rejected|Processing
        E Alerting|Delta|Periodic
        E HardWiredNotification|HardWiredMonitor|PreconfiguredMonitor|CustomMonitor
        E UpperThreshold|LowerThreshold|Delta|Periodic|PeriodicClockAligned
        E ReadOnly|WriteOnly|ReadWrite
        E string|decimal|integer|dateTime|boolean|OptionList|SequenceList|MemberList
        E Idle|DownloadScheduled|Downloading|Downloaded|Published|DownloadFailed|DownloadPaused|InvalidChecksum|ChecksumVerified|PublishFailed
        E Absolute|Recurring|Relative
        E Daily|Weekly
        E Expired|Removed
        E cCCS1|cCCS2|cG105|cTesla|cType1|cType2|s309-1P-16A|s309-1P-32A|s309-3P-16A|s309-3P-32A|sBS1361|sCEE-7-7|sType2|sType3|Other1PhMax16A|Other1PhOver16A|Other3Ph|Pan|wInductive|wResonant|Undetermined|Unknown
        E Accepted|Faulted|Occupied|Rejected|Unavailable
        E Immediate|OnIdle
        E Differential|Full
        E Accepted|Failed|VersionMismatch
        E Accepted|NotSupportedMessageFormat|Rejected|NotSupportedPriority|NotSupportedState|UnknownTransaction
        E All|FactoryDefault|HardWiredOnly
        E CHAP|NONE|PAP|AUTO
        E OCPP12|OCPP15|OCPP16|OCPP20
        E JSON|SOAP
        E Wired0|Wired1|Wired2|Wired3|Wireless0|Wireless1|Wireless2|Wireless3
        E IKEv2|IPSec|L2TP|PPTP
        E Accepted|UnknownComponent|UnknownVariable|UnsupportedMonitorType|Rejected|Duplicate
        E Accepted|Rejected|UnknownComponent|UnknownVariable|NotSupportedAttributeType|RebootRequired
        E Available|Occupied|Reserved|Unavailable|Faulted
        E Ended|Started|Updated
        E Authorized|CablePluggedIn|ChargingRateChanged|ChargingStateChanged|Deauthorized|EnergyLimitReached|EVCommunicationLost|EVConnectTimeout|MeterValueClock|MeterValuePeriodic|TimeLimitReached|Trigger|UnlockCommand|StopAuthorized|EVDeparted|EVDetected|RemoteStop|RemoteStart|AbnormalCondition|SignedDataReceived|ResetCommand
        E Charging|EVConnected|SuspendedEV|SuspendedEVSE|Idle
        E DeAuthorized|EmergencyStop|EnergyLimitReached|EVDisconnected|GroundFault|ImmediateReset|Local|LocalOutOfCredit|MasterPass|Other|OvercurrentFault|PowerLoss|PowerQuality|Reboot|Remote|SOCLimitReached|StoppedByEV|TimeLimitReached|Timeout
        E BootNotification|LogStatusNotification|FirmwareStatusNotification|Heartbeat|MeterValues|SignChargingStationCertificate|SignV2GCertificate|StatusNotification|TransactionEvent|SignCombinedCertificate|PublishFirmwareStatusNotification
        E Accepted|Rejected|NotImplemented
        E Unlocked|UnlockFailed|OngoingAuthorizedTransaction|UnknownConnector
        E DownloadOngoing|NoFirmware|Unpublished
        E Accepted|Rejected|AcceptedCanceled|InvalidCertificate|RevokedCertificate
        N s L255
        N o !vendorId=0
        N s L36
        N s L50
        N o C !additionalIdToken=2 !type=3 .customData=1
        N a I4 k1
        N s E0
        N o C !idToken=2 !type=6 .customData=1 .additionalInfo=5
        N s L5500
        N s E1
        N s L128
        N s L40
        N s L512
        N o C !hashAlgorithm=9 !issuerNameHash=10 !issuerKeyHash=10 !serialNumber=11 !responderURL=12 .customData=1
        N a I13 k1 K4
        N o C !idToken=7 .customData=1 .certificate=8 .iso15118CertificateHashData=14
        N s E2
        N s D
        N i
        N s L8
        N a I18 k1
        N s E3
        N o C !format=21 !content=12 .customData=1 .language=19
        N o C !status=16 .customData=1 .cacheExpiryDateTime=17 .chargingPriority=18 .language1=19 .evseId=20 .groupIdToken=7 .language2=19 .personalMessage=22
        N s E4
        N o C !idTokenInfo=23 .customData=1 .certificateStatus=24
        N s L25
        N s L20
        N o C .customData=1 .iccid=27 .imsi=27
        N o C !model=27 !vendorName=3 .customData=1 .serialNumber=26 .modem=28 .firmwareVersion=3
        N s E5
        N o C !reason=30 !chargingStation=29 .customData=1
        N s E6
        N o C !reasonCode=27 .customData=1 .additionalInfo=12
        N o C !currentTime=17 !interval=18 !status=32 .customData=1 .statusInfo=33
        N o C !reservationId=18 .customData=1
        N s E7
        N o C !status=36 .customData=1 .statusInfo=33
        N s L10000
        N s E8
        N o C !certificateChain=38 .customData=1 .certificateType=39
        N o C !id=18 .customData=1 .connectorId=18
        N s E9
        N o C !operationalStatus=42 .customData=1 .evse=41
        N s E10
        N o C !status=44 .customData=1 .statusInfo=33
        N o C .customData=1
        N s E11
        N o C .customData=1 .evseId=18 .chargingProfilePurpose=47 .stackLevel=18
        N o C .customData=1 .chargingProfileId=18 .chargingProfileCriteria=48
        N s E12
        N o C !status=50 .customData=1 .statusInfo=33
        N o C !id=18 .customData=1
        N o C !id=20 .customData=1
        N s E13
        N o C !status=54 !id=18 .customData=1 .statusInfo=33
        N a I55 k1
        N o C !clearMonitoringResult=56 .customData=1
        N s E14
        N o C !chargingLimitSource=58 .customData=1 .evseId=18
        N n
        N o C !totalCost=60 !transactionId=2 .customData=1
        N o C !hashAlgorithm=9 !issuerNameHash=10 !issuerKeyHash=10 !serialNumber=11 .customData=1
        N b
        N s L64
        N o C !requestId=18 !report=63 !clear=63 .customData=1 .customerCertificate=62 .idToken=7 .customerIdentifier=64
        N s E15
        N o C !status=66 .customData=1 .statusInfo=33
        N *
        N o C !vendorId=0 .customData=1 .messageId=3 .data=68
        N s E16
        N o C !status=70 .customData=1 .statusInfo=33 .data=68
        N o C !certificateHashData=62 .customData=1
        N s E17
        N o C !status=73 .customData=1 .statusInfo=33
        N s E18
        N o C !status=75 .customData=1 .requestId=18
        N s E19
        N s L5600
        N o C !iso15118SchemaVersion=3 !action=77 !exiRequest=78 .customData=1
        N s E20
        N s L7500
        N o C !status=80 !exiResponse=81 .customData=1 .statusInfo=33
        N s E21
        N o C !requestId=18 !reportBase=83 .customData=1
        N s E22
        N o C !status=85 .customData=1 .statusInfo=33
        N o C !ocspRequestData=13 .customData=1
        N o C !status=80 .customData=1 .statusInfo=33 .ocspResult=8
        N a I58 k1 K4
        N o C .customData=1 .chargingProfilePurpose=47 .stackLevel=18 .chargingProfileId=20 .chargingLimitSource=89
        N o C !requestId=18 !chargingProfile=90 .customData=1 .evseId=18
        N s E23
        N o C !status=92 .customData=1 .statusInfo=33
        N s E24
        N o C !duration=18 !evseId=18 .customData=1 .chargingRateUnit=94
        N o C !startPeriod=18 !limit=60 .customData=1 .numberPhases=18 .phaseToUse=18
        N a I96 k1
        N o C !evseId=18 !duration=18 !scheduleStart=17 !chargingRateUnit=94 !chargingSchedulePeriod=97 .customData=1
        N o C !status=36 .customData=1 .statusInfo=33 .schedule=98
        N s E25
        N s E26
        N o C !requestId=18 .customData=1 .id=20 .priority=100 .state=101
        N s E27
        N a I103 k1
        N o C .customData=1 .certificateType=104
        N s E28
        N a I62 k1 K4
        N o C !certificateType=103 !certificateHashData=62 .customData=1 .childCertificateHashData=107
        N a I108 k1
        N o C !status=106 .customData=1 .statusInfo=33 .certificateHashDataChain=109
        N o C !versionNumber=18 .customData=1
        N o C !remoteLocation=12 .customData=1 .oldestTimestamp=17 .latestTimestamp=17
        N s E29
        N o C !logType=113 !requestId=18 !log=112 .customData=1 .retries=18 .retryInterval=18
        N s E30
        N o C !status=115 .customData=1 .statusInfo=33 .filename=0
        N o C !name=3 .customData=1 .evse=41 .instance=3
        N o C !name=3 .customData=1 .instance=3
        N o C !component=117 .customData=1 .variable=118
        N a I119 k1
        N s E31
        N a I121 k1 K3
        N o C !requestId=18 .customData=1 .componentVariable=120 .monitoringCriteria=122
        N s E32
        N a I124 k1 K4
        N o C !requestId=18 .customData=1 .componentVariable=120 .componentCriteria=125
        N o C .customData=1 .transactionId=2
        N o C !messagesInQueue=63 .customData=1 .ongoingIndicator=63
        N s E33
        N o C !component=117 !variable=118 .customData=1 .attributeType=129
        N a I130 k1
        N o C !getVariableData=131 .customData=1
        N s E34
        N s L2500
        N o C !attributeStatus=133 !component=117 !variable=118 .customData=1 .attributeStatusInfo=33 .attributeType=129 .attributeValue=134
        N a I135 k1
        N o C !getVariableResult=136 .customData=1
        N o C !currentTime=17 .customData=1
        N s E35
        N o C !certificateType=139 !certificate=8 .customData=1
        N s E36
        N o C !status=141 .customData=1 .statusInfo=33
        N s E37
        N o C !status=143 .customData=1 .requestId=18
        N s E38
        N s E39
        N s E40
        N s E41
        N o C !signedMeterData=134 !signingMethod=3 !encodingMethod=3 !publicKey=134 .customData=1
        N o C .customData=1 .unit=27 .multiplier=18
        N o C !value=60 .customData=1 .context=145 .measurand=146 .phase=147 .location=148 .signedMeterValue=149 .unitOfMeasure=150
        N a I151 k1
        N o C !timestamp=17 !sampledValue=152 .customData=1
        N a I153 k1
        N o C !evseId=18 !meterValue=154 .customData=1
        N a I96 k1 K1024
        N s L32
        N o C !start=18 .customData=1 .duration=18
        N i m0
        N s E42
        N o C !costKind=160 !amount=18 .customData=1 .amountMultiplier=18
        N a I161 k1 K3
        N o C !startValue=60 !cost=162 .customData=1
        N a I163 k1 K3
        N o C !relativeTimeInterval=158 .customData=1 .ePriceLevel=159 .consumptionCost=164
        N a I165 k1 K1024
        N o C !id=18 !salesTariffEntry=166 .customData=1 .salesTariffDescription=157 .numEPriceLevels=18
        N o C !id=18 !chargingRateUnit=94 !chargingSchedulePeriod=156 .customData=1 .startSchedule=17 .duration=18 .minChargingRate=60 .salesTariff=167
        N a I168 k1
        N o C !chargingLimitSource=58 .customData=1 .isGridCritical=63
        N o C !chargingLimit=170 .customData=1 .chargingSchedule=169 .evseId=18
        N o C !data=12 !seqNo=18 !generatedAt=17 !requestId=18 .customData=1 .tbc=63
        N o C !id=18 !priority=100 !message=22 .customData=1 .display=117 .state=101 .startDateTime=17 .endDateTime=17 .transactionId=2
        N a I173 k1
        N o C !requestId=18 .customData=1 .messageInfo=174 .tbc=63
        N o C !energyAmount=18 !evMinCurrent=18 !evMaxCurrent=18 !evMaxVoltage=18 .customData=1
        N i m0 M100
        N o C !evMaxCurrent=18 !evMaxVoltage=18 .customData=1 .energyAmount=18 .evMaxPower=18 .stateOfCharge=177 .evEnergyCapacity=18 .fullSoC=177 .bulkSoC=177
        N s E43
        N o C !requestedEnergyTransfer=179 .customData=1 .acChargingParameters=176 .dcChargingParameters=178 .departureTime=17
        N o C !evseId=18 !chargingNeeds=180 .customData=1 .maxScheduleTuples=18
        N s E44
        N o C !status=182 .customData=1 .statusInfo=33
        N o C !timeBase=17 !evseId=18 !chargingSchedule=168 .customData=1
        N s E45
        N s L500
        N s E46
        N o C !eventId=18 !timestamp=17 !trigger=185 !actualValue=134 !eventNotificationType=187 !component=117 !variable=118 .customData=1 .cause=18 .techCode=3 .techInfo=186 .cleared=63 .transactionId=2 .variableMonitoringId=18
        N a I188 k1
        N o C !generatedAt=17 !seqNo=18 !eventData=189 .customData=1 .tbc=63
        N s E47
        N o C !id=18 !transaction=63 !value=60 !type=191 !severity=18 .customData=1
        N a I192 k1
        N o C !component=117 !variable=118 !variableMonitoring=193 .customData=1
        N a I194 k1
        N o C !requestId=18 !seqNo=18 !generatedAt=17 .customData=1 .monitor=195 .tbc=63
        N s E48
        N o C .customData=1 .type=129 .value=134 .mutability=197 .persistent=63 .constant=63
        N a I198 k1 K4
        N s L16
        N s E49
        N s L1000
        N o C !dataType=201 !supportsMonitoring=63 .customData=1 .unit=200 .minLimit=60 .maxLimit=60 .valuesList=202
        N o C !component=117 !variable=118 !variableAttribute=199 .customData=1 .variableCharacteristics=203
        N a I204 k1
        N o C !requestId=18 !generatedAt=17 !seqNo=18 .customData=1 .reportData=205 .tbc=63
        N o C !location=12 !checksum=157 !requestId=18 .customData=1 .retries=18 .retryInterval=18
        N s E50
        N a I12 k1
        N o C !status=208 .customData=1 .location=209 .requestId=18
        N s E51
        N s E52
        N a I168 k1 K3
        N o C !id=18 !stackLevel=18 !chargingProfilePurpose=47 !chargingProfileKind=211 !chargingSchedule=213 .customData=1 .recurrencyKind=212 .validFrom=17 .validTo=17 .transactionId=2
        N a I214 k1
        N o C !requestId=18 !chargingLimitSource=58 !evseId=18 !chargingProfile=215 .customData=1 .tbc=63
        N o C !remoteStartId=18 !idToken=7 .customData=1 .evseId=18 .groupIdToken=7 .chargingProfile=214
        N o C !status=36 .customData=1 .statusInfo=33 .transactionId=2
        N o C !transactionId=2 .customData=1
        N s E53
        N o C !reservationId=18 !reservationUpdateStatus=220 .customData=1
        N s E54
        N o C !id=18 !expiryDateTime=17 !idToken=7 .customData=1 .connectorType=222 .evseId=18 .groupIdToken=7
        N s E55
        N o C !status=224 .customData=1 .statusInfo=33
        N s E56
        N o C !type=226 .customData=1 .evseId=18
        N o C !type=3 !timestamp=17 .customData=1 .techInfo=0
        N o C !idToken=7 .customData=1 .idTokenInfo=23
        N a I229 k1
        N s E57
        N o C !versionNumber=18 !updateType=231 .customData=1 .localAuthorizationList=230
        N s E58
        N o C !status=233 .customData=1 .statusInfo=33
        N o C !evseId=18 !chargingProfile=214 .customData=1
        N o C !message=173 .customData=1
        N s E59
        N o C !status=237 .customData=1 .statusInfo=33
        N s E60
        N o C !monitoringBase=239 .customData=1
        N o C !severity=18 .customData=1
        N s L6
        N s E61
        N o C !apn=12 !apnAuthentication=243 .customData=1 .apnUserName=27 .apnPassword=27 .simPin=18 .preferredNetwork=242 .useOnlyPreferredNetwork=63
        N s E62
        N s E63
        N s E64
        N s E65
        N o C !server=12 !user=27 !password=27 !key=0 !type=248 .customData=1 .group=27
        N o C !ocppVersion=245 !ocppTransport=246 !ocppCsmsUrl=12 !messageTimeout=18 !securityProfile=18 !ocppInterface=247 .customData=1 .apn=244 .vpn=249
        N o C !configurationSlot=18 !connectionData=250 .customData=1
        N o C !value=60 !type=191 !severity=18 !component=117 !variable=118 .customData=1 .id=18 .transaction=63
        N a I252 k1
        N o C !setMonitoringData=253 .customData=1
        N s E66
        N o C !status=255 !type=191 !severity=18 !component=117 !variable=118 .customData=1 .id=18 .statusInfo=33
        N a I256 k1
        N o C !setMonitoringResult=257 .customData=1
        N o C !attributeValue=202 !component=117 !variable=118 .customData=1 .attributeType=129
        N a I259 k1
        N o C !setVariableData=260 .customData=1
        N s E67
        N o C !attributeStatus=262 !component=117 !variable=118 .customData=1 .attributeType=129 .attributeStatusInfo=33
        N a I263 k1
        N o C !setVariableResult=264 .customData=1
        N o C !csr=8 .customData=1 .certificateType=39
        N s E68
        N o C !timestamp=17 !connectorStatus=267 !evseId=18 !connectorId=18 .customData=1
        N s E69
        N s E70
        N s E71
        N s E72
        N o C !transactionId=2 .customData=1 .chargingState=271 .timeSpentCharging=18 .stoppedReason=272 .remoteStartId=18
        N o C !eventType=269 !timestamp=17 !triggerReason=270 !seqNo=18 !transactionInfo=273 .customData=1 .meterValue=154 .offline=63 .numberOfPhasesUsed=18 .cableMaxCurrent=18 .reservationId=18 .evse=41 .idToken=7
        N o C .customData=1 .totalCost=60 .chargingPriority=18 .idTokenInfo=23 .updatedPersonalMessage=22
        N s E73
        N o C !requestedMessage=276 .customData=1 .evse=41
        N s E74
        N o C !status=278 .customData=1 .statusInfo=33
        N o C !evseId=18 !connectorId=18 .customData=1
        N s E75
        N o C !status=281 .customData=1 .statusInfo=33
        N o C !checksum=157 .customData=1
        N s E76
        N o C !status=284 .customData=1
        N s L800
        N o C !location=12 !retrieveDateTime=17 .customData=1 .installDateTime=17 .signingCertificate=8 .signature=286
        N o C !requestId=18 !firmware=287 .customData=1 .retries=18 .retryInterval=18
        N s E77
        N o C !status=289 .customData=1 .statusInfo=33
        A Authorize 15 25
        A BootNotification 31 34
        A CancelReservation 35 37
        A CertificateSigned 40 37
        A ChangeAvailability 43 45
        A ClearCache 46 37
        A ClearChargingProfile 49 51
        A ClearDisplayMessage 52 51
        A ClearVariableMonitoring 53 57
        A ClearedChargingLimit 59 46
        A CostUpdated 61 46
        A CustomerInformation 65 67
        A DataTransfer 69 71
        A DeleteCertificate 72 74
        A FirmwareStatusNotification 76 46
        A Get15118EVCertificate 79 82
        A GetBaseReport 84 86
        A GetCertificateStatus 87 88
        A GetChargingProfiles 91 93
        A GetCompositeSchedule 95 99
        A GetDisplayMessages 102 51
        A GetInstalledCertificateIds 105 110
        A GetLocalListVersion 46 111
        A GetLog 114 116
        A GetMonitoringReport 123 86
        A GetReport 126 86
        A GetTransactionStatus 127 128
        A GetVariables 132 137
        A Heartbeat 46 138
        A InstallCertificate 140 142
        A LogStatusNotification 144 46
        A MeterValues 155 46
        A NotifyChargingLimit 171 46
        A NotifyCustomerInformation 172 46
        A NotifyDisplayMessages 175 46
        A NotifyEVChargingNeeds 181 183
        A NotifyEVChargingSchedule 184 37
        A NotifyEvent 190 46
        A NotifyMonitoringReport 196 46
        A NotifyReport 206 46
        A PublishFirmware 207 37
        A PublishFirmwareStatusNotification 210 46
        A ReportChargingProfiles 216 46
        A RequestStartTransaction 217 218
        A RequestStopTransaction 219 37
        A ReservationStatusUpdate 221 46
        A ReserveNow 223 225
        A Reset 227 45
        A SecurityEventNotification 228 46
        A SendLocalList 232 234
        A SetChargingProfile 235 37
        A SetDisplayMessage 236 238
        A SetMonitoringBase 240 86
        A SetMonitoringLevel 241 37
        A SetNetworkProfile 251 142
        A SetVariableMonitoring 254 258
        A SetVariables 261 265
        A SignCertificate 266 37
        A StatusNotification 268 46
        A TransactionEvent 274 275
        A TriggerMessage 277 279
        A UnlockConnector 280 282
        A UnpublishFirmware 283 285
        A UpdateFirmware 288 290
        """#

    /// OCPP 2.1, from v21/.
    private static let v21 = #"""
        E Accepted|Rejected
        E SHA256|SHA384|SHA512
        E Accepted|Blocked|ConcurrentTx|Expired|Invalid|NoCredit|NotAllowedTypeEVSE|NotAtThisLocation|NotAtThisTime|Unknown
        E ASCII|HTML|URI|UTF8|QRCODE
        E Accepted|SignatureError|CertificateExpired|CertificateRevoked|NoCertificateAvailable|CertChainError|ContractCancelled
        E AC_single_phase|AC_two_phase|AC_three_phase|DC|AC_BPT|AC_BPT_DER|AC_DER|DC_BPT|DC_ACDP|DC_ACDP_BPT|WPT
        E Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday
        E AC|DC
        E BatteryIn|BatteryOut|BatteryOutTimeout
        E ApplicationReset|FirmwareUpdate|LocalReset|PowerUp|RemoteReset|ScheduledReset|Triggered|Unknown|Watchdog
        E Accepted|Pending|Rejected
        E ChargingStationCertificate|V2GCertificate|V2G20Certificate
        E Inoperative|Operative
        E Accepted|Rejected|Scheduled
        E Accepted|Rejected|TooManyElements|ConditionNotSupported|TxNotFound|NoCurrencyChange
        E ChargingStationExternalConstraints|ChargingStationMaxProfile|TxDefaultProfile|TxProfile|PriorityCharging|LocalGeneration
        E Accepted|Unknown
        E EnterService|FreqDroop|FreqWatt|FixedPFAbsorb|FixedPFInject|FixedVar|Gradients|HFMustTrip|HFMayTrip|HVMustTrip|HVMomCess|HVMayTrip|LimitMaxDischarge|LFMustTrip|LVMustTrip|LVMomCess|LVMayTrip|PowerMonitoringMustTrip|VoltVar|VoltWatt|WattPF|WattVar
        E Accepted|Rejected|NotSupported|NotFound
        E Accepted|Unknown|Rejected
        E Accepted|Rejected|NoTariff
        E Accepted|Rejected|NotFound
        E Accepted|Rejected|Invalid
        E Accepted|Rejected|UnknownMessageId|UnknownVendorId
        E Accepted|Failed|NotFound
        E Downloaded|DownloadFailed|Downloading|DownloadScheduled|DownloadPaused|Idle|InstallationFailed|Installing|Installed|InstallRebooting|InstallScheduled|InstallVerificationFailed|InvalidSignature|SignatureVerified
        E Install|Update
        E Accepted|Failed
        E ConfigurationInventory|FullInventory|SummaryInventory
        E Accepted|Rejected|NotSupported|EmptyResultSet
        E CRL|OCSP
        E Good|Revoked|Unknown|Failed
        E Accepted|NoProfiles
        E W|A
        E Idle|ChargingOnly|CentralSetpoint|ExternalSetpoint|ExternalLimits|CentralFrequency|LocalFrequency|LocalLoadBalancing
        E AlwaysFront|InFront|NormalCycle
        E Charging|Faulted|Idle|Unavailable|Suspended|Discharging
        E V2GRootCertificate|MORootCertificate|CSMSRootCertificate|V2GCertificateChain|ManufacturerRootCertificate|OEMRootCertificate
        E Accepted|NotFound
        E DiagnosticsLog|SecurityLog|DataCollectorLog
        E Accepted|Rejected|AcceptedCanceled
        E ThresholdMonitoring|DeltaMonitoring|PeriodicMonitoring
        E Active|Available|Enabled|Problem
        E DefaultTariff|DriverTariff
        E Actual|Target|MinSet|MaxSet
        E Accepted|Rejected|UnknownComponent|UnknownVariable|NotSupportedAttributeType
        E V2GRootCertificate|MORootCertificate|ManufacturerRootCertificate|CSMSRootCertificate|OEMRootCertificate
        E Accepted|Rejected|Failed
        E BadMessage|Idle|NotSupportedOperation|PermissionDenied|Uploaded|UploadFailure|Uploading|AcceptedCanceled
        E Current.Export|Current.Export.Offered|Current.Export.Minimum|Current.Import|Current.Import.Offered|Current.Import.Minimum|Current.Offered|Display.PresentSOC|Display.MinimumSOC|Display.TargetSOC|Display.MaximumSOC|Display.RemainingTimeToMinimumSOC|Display.RemainingTimeToTargetSOC|Display.RemainingTimeToMaximumSOC|Display.ChargingComplete|Display.BatteryEnergyCapacity|Display.InletHot|Energy.Active.Export.Interval|Energy.Active.Export.Register|Energy.Active.Import.Interval|Energy.Active.Import.Register|Energy.Active.Import.CableLoss|Energy.Active.Import.LocalGeneration.Register|Energy.Active.Net|Energy.Active.Setpoint.Interval|Energy.Apparent.Export|Energy.Apparent.Import|Energy.Apparent.Net|Energy.Reactive.Export.Interval|Energy.Reactive.Export.Register|Energy.Reactive.Import.Interval|Energy.Reactive.Import.Register|Energy.Reactive.Net|EnergyRequest.Target|EnergyRequest.Minimum|EnergyRequest.Maximum|EnergyRequest.Minimum.V2X|EnergyRequest.Maximum.V2X|EnergyRequest.Bulk|Frequency|Power.Active.Export|Power.Active.Import|Power.Active.Setpoint|Power.Active.Residual|Power.Export.Minimum|Power.Export.Offered|Power.Factor|Power.Import.Offered|Power.Import.Minimum|Power.Offered|Power.Reactive.Export|Power.Reactive.Import|SoC|Voltage|Voltage.Minimum|Voltage.Maximum
        E Interruption.Begin|Interruption.End|Other|Sample.Clock|Sample.Periodic|Transaction.Begin|Transaction.End|Trigger
        E L1|L2|L3|N|L1-N|L2-N|L3-N|L1-L2|L2-L3|L3-L1
        E Body|Cable|EV|Inlet|Outlet|Upstream
        E CarbonDioxideEmission|RelativePricePercentage|RenewableGenerationPercentage
        E CurrentImbalance|LocalEmergency|LowInputPower|OverCurrent|OverFrequency|OverVoltage|PhaseRotation|RemoteEmergency|UnderFrequency|UnderVoltage|VoltageImbalance
        E NoAntiIslandingSupport|RoCoF|UVP_OVP|UFP_OFP|VoltageVectorShift|ZeroCrossingDetection|OtherPassive|ImpedanceMeasurement|ImpedanceAtFrequency|SlipModeFrequencyShift|SandiaFrequencyShift|SandiaVoltageShift|FrequencyJump|RCLQFactor|OtherActive
        E ScheduledControl|DynamicControl
        E EVCC|EVCC_SECC
        E Accepted|Rejected|Processing|NoChargingProfile
        E Alerting|Delta|Periodic
        E HardWiredNotification|HardWiredMonitor|PreconfiguredMonitor|CustomMonitor
        E UpperThreshold|LowerThreshold|Delta|Periodic|PeriodicClockAligned|TargetDelta|TargetDeltaRelative
        E ReadOnly|WriteOnly|ReadWrite
        E string|decimal|integer|dateTime|boolean|OptionList|SequenceList|MemberList
        E Settled|Canceled|Rejected|Failed
        E Idle|DownloadScheduled|Downloading|Downloaded|Published|DownloadFailed|DownloadPaused|InvalidChecksum|ChecksumVerified|PublishFailed
        E Absolute|Recurring|Relative|Dynamic
        E Daily|Weekly
        E Active|Reactive
        E Not_Applicable|PctMaxW|PctMaxVar|PctWAvail|PctVarAvail|PctEffectiveV
        E Expired|Removed|NoTransaction
        E Accepted|Faulted|Occupied|Rejected|Unavailable
        E Immediate|OnIdle|ImmediateAndResume
        E Differential|Full
        E Accepted|Failed|VersionMismatch
        E Accepted|Rejected|TooManyElements|ConditionNotSupported|DuplicateTariffId
        E Accepted|NotSupportedMessageFormat|Rejected|NotSupportedPriority|NotSupportedState|UnknownTransaction|LanguageNotSupported
        E All|FactoryDefault|HardWiredOnly
        E PAP|CHAP|NONE|AUTO
        E OCPP12|OCPP15|OCPP16|OCPP20|OCPP201|OCPP21
        E Wired0|Wired1|Wired2|Wired3|Wireless0|Wireless1|Wireless2|Wireless3|Any
        E SOAP|JSON
        E IKEv2|IPSec|L2TP|PPTP
        E Accepted|UnknownComponent|UnknownVariable|UnsupportedMonitorType|Rejected|Duplicate
        E Accepted|Rejected|UnknownComponent|UnknownVariable|NotSupportedAttributeType|RebootRequired
        E Available|Occupied|Reserved|Unavailable|Faulted
        E Energy|MaxCurrent|MinCurrent|MaxPower|MinPower|IdleTIme|ChargingTime
        E NormalCost|MinCost|MaxCost
        E Ended|Started|Updated
        E AbnormalCondition|Authorized|CablePluggedIn|ChargingRateChanged|ChargingStateChanged|CostLimitReached|Deauthorized|EnergyLimitReached|EVCommunicationLost|EVConnectTimeout|EVDeparted|EVDetected|LimitSet|MeterValueClock|MeterValuePeriodic|OperationModeChanged|RemoteStart|RemoteStop|ResetCommand|RunningCost|SignedDataReceived|SoCLimitReached|StopAuthorized|TariffChanged|TariffNotAccepted|TimeLimitReached|Trigger|TxResumed|UnlockCommand
        E Unknown|Ready|NotReady|Preconditioning
        E EVConnected|Charging|SuspendedEV|SuspendedEVSE|Idle
        E DeAuthorized|EmergencyStop|EnergyLimitReached|EVDisconnected|GroundFault|ImmediateReset|MasterPass|Local|LocalOutOfCredit|Other|OvercurrentFault|PowerLoss|PowerQuality|Reboot|Remote|SOCLimitReached|StoppedByEV|TimeLimitReached|Timeout|ReqEnergyTransferRejected
        E BootNotification|LogStatusNotification|FirmwareStatusNotification|Heartbeat|MeterValues|SignChargingStationCertificate|SignV2GCertificate|SignV2G20Certificate|StatusNotification|TransactionEvent|SignCombinedCertificate|PublishFirmwareStatusNotification|CustomTrigger
        E Accepted|Rejected|NotImplemented
        E Unlocked|UnlockFailed|OngoingAuthorizedTransaction|UnknownConnector
        E DownloadOngoing|NoFirmware|Unpublished
        E Accepted|Rejected|AcceptedCanceled|InvalidCertificate|RevokedCertificate
        E Accepted|Rejected|NoProfile
        N s D
        N i
        N s L255
        N o !vendorId=2
        N o C !timestamp=0 !signal=1 .customData=3
        N s E0
        N s L20
        N s L1024
        N o C !reasonCode=6 .additionalInfo=7 .customData=3
        N o C !status=5 .statusInfo=8 .customData=3
        N i m0
        N o C .interval=10 .values=10 .customData=3
        N o C !id=10 !params=11 .customData=3
        N s L50
        N o C !additionalIdToken=2 !type=13 .customData=3
        N a I14 k1
        N o C !idToken=2 !type=6 .additionalInfo=15 .customData=3
        N s L10000
        N s E1
        N s L128
        N s L40
        N s L2000
        N o C !hashAlgorithm=18 !issuerNameHash=19 !issuerKeyHash=19 !serialNumber=20 !responderURL=21 .customData=3
        N a I22 k1 K4
        N o C !idToken=16 .certificate=17 .iso15118CertificateHashData=23 .customData=3
        N s E2
        N s L8
        N a I10 k1
        N s E3
        N o C !format=28 !content=7 .language=26 .customData=3
        N o C !status=25 .cacheExpiryDateTime=0 .chargingPriority=1 .groupIdToken=16 .language1=26 .language2=26 .evseId=27 .personalMessage=29 .customData=3
        N s E4
        N s E5
        N a I32 k1
        N s L60
        N a I29 k1 K10
        N s L3
        N n
        N s
        N s E6
        N a I39 k1 K7
        N s E7
        N o C .startTimeOfDay=38 .endTimeOfDay=38 .dayOfWeek=40 .validFromDate=38 .validToDate=38 .evseKind=41 .minEnergy=37 .maxEnergy=37 .minCurrent=37 .maxCurrent=37 .minPower=37 .maxPower=37 .minTime=1 .maxTime=1 .minChargingTime=1 .maxChargingTime=1 .minIdleTime=1 .maxIdleTime=1 .customData=3
        N o C !priceKwh=37 .conditions=42 .customData=3
        N a I43 k1
        N o C !type=6 !tax=37 .stack=10 .customData=3
        N a I45 k1 K5
        N o C !prices=44 .taxRates=46 .customData=3
        N o C !priceMinute=37 .conditions=42 .customData=3
        N a I48 k1
        N o C !prices=49 .taxRates=46 .customData=3
        N o C .startTimeOfDay=38 .endTimeOfDay=38 .dayOfWeek=40 .validFromDate=38 .validToDate=38 .evseKind=41 .paymentBrand=6 .paymentRecognition=6 .customData=3
        N o C !priceFixed=37 .conditions=51 .customData=3
        N a I52 k1
        N o C !prices=53 .taxRates=46 .customData=3
        N o C .exclTax=37 .inclTax=37 .taxRates=46 .customData=3
        N o C !tariffId=34 !currency=36 .description=35 .energy=47 .validFrom=0 .chargingTime=50 .idleTime=50 .fixedFee=54 .reservationTime=50 .reservationFixed=54 .minCost=55 .maxCost=55 .customData=3
        N o C !idTokenInfo=30 .certificateStatus=31 .allowedEnergyTransfer=33 .tariff=56 .customData=3
        N n m0 M100
        N s L500
        N o C !evseId=10 !serialNumber=13 !soC=58 !soH=58 .productionDate=0 .vendorInfo=59 .customData=3
        N a I60 k1
        N s E8
        N o C !eventType=62 !requestId=1 !idToken=16 !batteryData=61 .customData=3
        N o C .customData=3
        N s L25
        N o C .iccid=6 .imsi=6 .customData=3
        N o C !model=6 !vendorName=13 .serialNumber=65 .modem=66 .firmwareVersion=13 .customData=3
        N s E9
        N o C !reason=68 !chargingStation=67 .customData=3
        N s E10
        N o C !currentTime=0 !interval=1 !status=70 .statusInfo=8 .customData=3
        N o C !reservationId=10 .customData=3
        N s E11
        N o C !certificateChain=17 .certificateType=73 .requestId=1 .customData=3
        N o C !id=10 .connectorId=10 .customData=3
        N s E12
        N o C !operationalStatus=76 .evse=75 .customData=3
        N s E13
        N o C !status=78 .statusInfo=8 .customData=3
        N s L36
        N o C !transactionId=80 !tariff=56 .customData=3
        N s E14
        N o C !status=82 .statusInfo=8 .customData=3
        N s E15
        N o C .evseId=10 .chargingProfilePurpose=84 .stackLevel=10 .customData=3
        N o C .chargingProfileId=1 .chargingProfileCriteria=85 .customData=3
        N s E16
        N o C !status=87 .statusInfo=8 .customData=3
        N b
        N s E17
        N o C !isDefault=89 .controlType=90 .controlId=80 .customData=3
        N s E18
        N o C !status=92 .statusInfo=8 .customData=3
        N o C !id=10 .customData=3
        N s E19
        N o C !status=95 .statusInfo=8 .customData=3
        N a I34 k1
        N o C .tariffIds=97 .evseId=10 .customData=3
        N s E20
        N o C !status=99 .statusInfo=8 .tariffId=34 .customData=3
        N a I100 k1
        N o C !clearTariffsResult=101 .customData=3
        N o C !id=27 .customData=3
        N s E21
        N o C !status=104 !id=10 .statusInfo=8 .customData=3
        N a I105 k1
        N o C !clearMonitoringResult=106 .customData=3
        N o C !chargingLimitSource=6 .evseId=10 .customData=3
        N o C !totalCost=37 !transactionId=80 .customData=3
        N o C !hashAlgorithm=18 !issuerNameHash=19 !issuerKeyHash=19 !serialNumber=20 .customData=3
        N s L64
        N o C !requestId=10 !report=89 !clear=89 .customerCertificate=110 .idToken=16 .customerIdentifier=111 .customData=3
        N s E22
        N o C !status=113 .statusInfo=8 .customData=3
        N *
        N o C !vendorId=2 .messageId=13 .data=115 .customData=3
        N s E23
        N o C !status=117 .statusInfo=8 .data=115 .customData=3
        N o C !certificateHashData=110 .customData=3
        N s E24
        N o C !status=120 .statusInfo=8 .customData=3
        N s E25
        N o C !status=122 .requestId=1 .statusInfo=8 .customData=3
        N s E26
        N s L11000
        N a I2 k1 K8
        N o C !iso15118SchemaVersion=13 !action=124 !exiRequest=125 .maximumContractCertificateChains=10 .prioritizedEMAIDs=126 .customData=3
        N s E27
        N s L17000
        N o C !status=128 !exiResponse=129 .statusInfo=8 .remainingContracts=10 .customData=3
        N s E28
        N o C !requestId=1 !reportBase=131 .customData=3
        N s E29
        N o C !status=133 .statusInfo=8 .customData=3
        N s E30
        N a I21 k1 K5
        N o C !source=135 !urls=136 !certificateHashData=110 .customData=3
        N a I137 k1 K4
        N o C !certificateStatusRequests=138 .customData=3
        N s E31
        N o C !source=135 !status=140 !nextUpdate=0 !certificateHashData=110 .customData=3
        N a I141 k1 K4
        N o C !certificateStatus=142 .customData=3
        N o C !ocspRequestData=22 .customData=3
        N s L18000
        N o C !status=128 .statusInfo=8 .ocspResult=145 .customData=3
        N a I1 k1
        N a I6 k1 K4
        N o C .chargingProfilePurpose=84 .stackLevel=10 .chargingProfileId=147 .chargingLimitSource=148 .customData=3
        N o C !requestId=1 !chargingProfile=149 .evseId=10 .customData=3
        N s E32
        N o C !status=151 .statusInfo=8 .customData=3
        N s E33
        N o C !duration=1 !evseId=10 .chargingRateUnit=153 .customData=3
        N i m0 M3
        N n M0
        N s E34
        N o C !frequency=37 !power=37 .customData=3
        N a I158 k1 K20
        N o C !signal=1 !power=37 .customData=3
        N a I160 k1 K20
        N o C !startPeriod=1 .limit=37 .limit_L2=37 .limit_L3=37 .numberPhases=155 .phaseToUse=155 .dischargeLimit=156 .dischargeLimit_L2=156 .dischargeLimit_L3=156 .setpoint=37 .setpoint_L2=37 .setpoint_L3=37 .setpointReactive=37 .setpointReactive_L2=37 .setpointReactive_L3=37 .preconditioningRequest=89 .evseSleep=89 .v2xBaseline=37 .operationMode=157 .v2xFreqWattCurve=159 .v2xSignalWattCurve=161 .customData=3
        N a I162 k1
        N o C !evseId=10 !duration=1 !scheduleStart=0 !chargingRateUnit=153 !chargingSchedulePeriod=163 .customData=3
        N o C !status=5 .statusInfo=8 .schedule=164 .customData=3
        N o C !requestId=1 .isDefault=89 .controlType=90 .controlId=80 .customData=3
        N s E35
        N s E36
        N o C !requestId=1 .id=27 .priority=167 .state=168 .customData=3
        N s E37
        N a I170 k1
        N o C .certificateType=171 .customData=3
        N s E38
        N a I110 k1 K4
        N o C !certificateType=170 !certificateHashData=110 .childCertificateHashData=174 .customData=3
        N a I175 k1
        N o C !status=173 .statusInfo=8 .certificateHashDataChain=176 .customData=3
        N o C !versionNumber=1 .customData=3
        N o C !remoteLocation=21 .oldestTimestamp=0 .latestTimestamp=0 .customData=3
        N s E39
        N o C !logType=180 !requestId=1 !log=179 .retries=10 .retryInterval=1 .customData=3
        N s E40
        N o C !status=182 .statusInfo=8 .filename=2 .customData=3
        N o C !name=13 .evse=75 .instance=13 .customData=3
        N o C !name=13 .instance=13 .customData=3
        N o C !component=184 .variable=185 .customData=3
        N a I186 k1
        N s E41
        N a I188 k1 K3
        N o C !requestId=1 .componentVariable=187 .monitoringCriteria=189 .customData=3
        N o C !id=10 !variableMonitoringId=10 !params=11 .customData=3
        N a I191 k1
        N o C .constantStreamData=192 .customData=3
        N s E42
        N a I194 k1 K4
        N o C !requestId=1 .componentVariable=187 .componentCriteria=195 .customData=3
        N o C !evseId=10 .customData=3
        N s E43
        N a I2 k1
        N o C !tariffId=34 !tariffKind=198 .validFrom=0 .evseIds=27 .idTokens=199 .customData=3
        N a I200 k1
        N o C !status=99 .statusInfo=8 .tariffAssignments=201 .customData=3
        N o C .transactionId=80 .customData=3
        N o C !messagesInQueue=89 .ongoingIndicator=89 .customData=3
        N s E44
        N o C !component=184 !variable=185 .attributeType=205 .customData=3
        N a I206 k1
        N o C !getVariableData=207 .customData=3
        N s E45
        N s L2500
        N o C !attributeStatus=209 !component=184 !variable=185 .attributeStatusInfo=8 .attributeType=205 .attributeValue=210 .customData=3
        N a I211 k1
        N o C !getVariableResult=212 .customData=3
        N o C !currentTime=0 .customData=3
        N s E46
        N o C !certificateType=215 !certificate=17 .customData=3
        N s E47
        N o C !status=217 .statusInfo=8 .customData=3
        N s E48
        N o C !status=219 .requestId=1 .statusInfo=8 .customData=3
        N s E49
        N s E50
        N s E51
        N s E52
        N s L32768
        N o C !signedMeterData=225 !encodingMethod=13 .signingMethod=13 .publicKey=210 .customData=3
        N o C .unit=6 .multiplier=1 .customData=3
        N o C !value=37 .measurand=221 .context=222 .phase=223 .location=224 .signedMeterValue=226 .unitOfMeasure=227 .customData=3
        N a I228 k1
        N o C !timestamp=0 !sampledValue=229 .customData=3
        N a I230 k1
        N o C !evseId=10 !meterValue=231 .customData=3
        N o C !transactionId=80 !allowedEnergyTransfer=33 .customData=3
        N i m0 M100
        N o C !soc=234 !limit=37 .customData=3
        N s L88
        N a I162 k1 K1024
        N s L32
        N o C !start=1 .duration=1 .customData=3
        N s E53
        N o C !costKind=240 !amount=1 .amountMultiplier=1 .customData=3
        N a I241 k1 K3
        N o C !startValue=37 !cost=242 .customData=3
        N a I243 k1 K3
        N o C !relativeTimeInterval=239 .ePriceLevel=10 .consumptionCost=244 .customData=3
        N a I245 k1 K1024
        N o C !id=10 !salesTariffEntry=246 .salesTariffDescription=238 .numEPriceLevels=10 .customData=3
        N s L160
        N o C !exponent=1 !value=1 .customData=3
        N o C !energyFee=249 !powerRangeStart=249 .parkingFeePeriod=1 .carbonDioxideEmission=10 .renewableGenerationPercentage=234 .parkingFee=249 .customData=3
        N a I250 k1 K8
        N o C !duration=1 !priceRule=251 .customData=3
        N a I252 k1 K1024
        N s L100
        N o C !taxRuleID=10 !appliesToEnergyFee=89 !appliesToParkingFee=89 !appliesToOverstayFee=89 !appliesToMinimumMaximumCost=89 !taxRate=249 .taxRuleName=254 .taxIncludedInPrice=89 .customData=3
        N a I255 k1 K10
        N o C !startTime=1 !overstayFeePeriod=1 !overstayFee=249 .overstayRuleDescription=238 .customData=3
        N a I257 k1 K5
        N o C !overstayRule=258 .overstayPowerThreshold=249 .overstayTimeThreshold=1 .customData=3
        N s L80
        N o C !serviceName=260 !serviceFee=249 .customData=3
        N a I261 k1 K5
        N o C !timeAnchor=0 !priceScheduleID=10 !currency=36 !language=26 !priceAlgorithm=21 !priceRuleStacks=253 .priceScheduleDescription=248 .minimumCost=249 .maximumCost=249 .taxRules=256 .overstayRuleList=259 .additionalSelectedServices=262 .customData=3
        N o C !duration=1 !priceLevel=10 .customData=3
        N a I264 k1 K100
        N o C !timeAnchor=0 !priceScheduleId=10 !numberOfPriceLevels=10 !priceLevelScheduleEntries=265 .priceScheduleDescription=238 .customData=3
        N o C !id=1 !chargingRateUnit=153 !chargingSchedulePeriod=237 .limitAtSoC=235 .startSchedule=0 .duration=1 .minChargingRate=37 .powerTolerance=37 .signatureId=10 .digestValue=236 .useLocalTime=89 .randomizedDelay=10 .salesTariff=247 .absolutePriceSchedule=263 .priceLevelSchedule=266 .customData=3
        N a I267 k1
        N o C !chargingLimitSource=6 .isLocalGeneration=89 .isGridCritical=89 .customData=3
        N o C !chargingLimit=269 .chargingSchedule=268 .evseId=10 .customData=3
        N s L512
        N o C !data=271 !seqNo=10 !generatedAt=0 !requestId=10 .tbc=89 .customData=3
        N s E54
        N s L200
        N o C !controlType=90 !timestamp=0 .gridEventFault=273 .alarmEnded=89 .extraInfo=274 .customData=3
        N a I80 k1 K24
        N o C !controlId=80 !started=89 !timestamp=0 .supersededIds=276 .customData=3
        N a I29 k1 K4
        N o C !id=10 !priority=167 !message=29 .display=184 .state=168 .startDateTime=0 .endDateTime=0 .transactionId=80 .messageExtra=278 .customData=3
        N a I279 k1
        N o C !requestId=1 .messageInfo=280 .tbc=89 .customData=3
        N i m1
        N o C !energyAmount=37 !evMinCurrent=37 !evMaxCurrent=37 !evMaxVoltage=37 .customData=3
        N a I90 k1
        N s E55
        N a I285 k1
        N o C .evSupportedDERControl=284 .evOverExcitedMaxDischargePower=37 .evOverExcitedPowerFactor=37 .evUnderExcitedMaxDischargePower=37 .evUnderExcitedPowerFactor=37 .maxApparentPower=37 .maxChargeApparentPower=37 .maxChargeApparentPower_L2=37 .maxChargeApparentPower_L3=37 .maxDischargeApparentPower=37 .maxDischargeApparentPower_L2=37 .maxDischargeApparentPower_L3=37 .maxChargeReactivePower=37 .maxChargeReactivePower_L2=37 .maxChargeReactivePower_L3=37 .minChargeReactivePower=37 .minChargeReactivePower_L2=37 .minChargeReactivePower_L3=37 .maxDischargeReactivePower=37 .maxDischargeReactivePower_L2=37 .maxDischargeReactivePower_L3=37 .minDischargeReactivePower=37 .minDischargeReactivePower_L2=37 .minDischargeReactivePower_L3=37 .nominalVoltage=37 .nominalVoltageOffset=37 .maxNominalVoltage=37 .minNominalVoltage=37 .evInverterManufacturer=13 .evInverterModel=13 .evInverterSerialNumber=13 .evInverterSwVersion=13 .evInverterHwVersion=13 .evIslandingDetectionMethod=286 .evIslandingTripTime=37 .evMaximumLevel1DCInjection=37 .evDurationLevel1DCInjection=37 .evMaximumLevel2DCInjection=37 .evDurationLevel2DCInjection=37 .evReactiveSusceptance=37 .evSessionTotalDischargeEnergyAvailable=37 .customData=3
        N o C !energyFee=37 !powerRangeStart=37 .customData=3
        N a I288 k1 K8
        N o C !duration=1 !evPriceRule=289 .customData=3
        N a I290 k1 K1024
        N o C !timeAnchor=0 !currency=36 !priceAlgorithm=21 !evAbsolutePriceScheduleEntries=291 .customData=3
        N o C !duration=1 !power=37 .customData=3
        N a I293 k1 K1024
        N o C !timeAnchor=0 !evPowerScheduleEntries=294 .customData=3
        N o C !evPowerSchedule=295 .evAbsolutePriceSchedule=292 .customData=3
        N o C !evMaxCurrent=37 !evMaxVoltage=37 .evMaxPower=37 .evEnergyCapacity=37 .energyAmount=37 .stateOfCharge=234 .fullSoC=234 .bulkSoC=234 .customData=3
        N o C .minChargePower=37 .minChargePower_L2=37 .minChargePower_L3=37 .maxChargePower=37 .maxChargePower_L2=37 .maxChargePower_L3=37 .minDischargePower=37 .minDischargePower_L2=37 .minDischargePower_L3=37 .maxDischargePower=37 .maxDischargePower_L2=37 .maxDischargePower_L3=37 .minChargeCurrent=37 .maxChargeCurrent=37 .minDischargeCurrent=37 .maxDischargeCurrent=37 .minVoltage=37 .maxVoltage=37 .evTargetEnergyRequest=37 .evMinEnergyRequest=37 .evMaxEnergyRequest=37 .evMinV2XEnergyRequest=37 .evMaxV2XEnergyRequest=37 .targetSoC=234 .customData=3
        N s E56
        N s E57
        N o C !requestedEnergyTransfer=32 .acChargingParameters=283 .derChargingParameters=287 .evEnergyOffer=296 .dcChargingParameters=297 .v2xChargingParameters=298 .availableEnergyTransfer=33 .controlMode=299 .mobilityNeedsMode=300 .departureTime=0 .customData=3
        N o C !evseId=282 !chargingNeeds=301 .maxScheduleTuples=10 .timestamp=0 .customData=3
        N s E58
        N o C !status=303 .statusInfo=8 .customData=3
        N o C !timeBase=0 !evseId=282 !chargingSchedule=267 .selectedChargingScheduleId=10 .powerToleranceAcceptance=89 .customData=3
        N s E59
        N s E60
        N o C !eventId=10 !timestamp=0 !trigger=306 !actualValue=210 !eventNotificationType=307 !component=184 !variable=185 .cause=10 .techCode=13 .techInfo=59 .cleared=89 .transactionId=80 .variableMonitoringId=10 .severity=10 .customData=3
        N a I308 k1
        N o C !generatedAt=0 !seqNo=10 !eventData=309 .tbc=89 .customData=3
        N s E61
        N o C !id=10 !transaction=89 !value=37 !type=311 !severity=10 !eventNotificationType=307 .customData=3
        N a I312 k1
        N o C !component=184 !variable=185 !variableMonitoring=313 .customData=3
        N a I314 k1
        N o C !requestId=1 !seqNo=10 !generatedAt=0 .monitor=315 .tbc=89 .customData=3
        N o C !t=37 !v=210 .customData=3
        N a I317 k1
        N o C !id=10 !pending=10 !basetime=0 !data=318 .customData=3
        N o C !transactionId=80 !activated=89 .customData=3
        N s E62
        N o C .type=205 .value=210 .mutability=321 .persistent=89 .constant=89 .customData=3
        N a I322 k1 K4
        N s L16
        N s E63
        N s L1000
        N o C !dataType=325 !supportsMonitoring=89 .unit=324 .minLimit=37 .maxLimit=37 .maxElements=282 .valuesList=326 .customData=3
        N o C !component=184 !variable=185 !variableAttribute=323 .variableCharacteristics=327 .customData=3
        N a I328 k1
        N o C !requestId=1 !generatedAt=0 !seqNo=10 .reportData=329 .tbc=89 .customData=3
        N s E64
        N o C !name=13 !address1=254 !city=254 !country=13 .address2=254 .postalCode=6 .customData=3
        N o C !pspRef=2 !status=331 !settlementAmount=37 !settlementTime=0 .transactionId=80 .statusInfo=59 .receiptId=13 .receiptUrl=21 .vatCompany=332 .vatNumber=6 .customData=3
        N o C .receiptUrl=21 .receiptId=13 .customData=3
        N o C !evseId=10 !timeout=1 .customData=3
        N o C !constantStreamData=191 .customData=3
        N o C !location=21 !checksum=238 !requestId=10 .retries=10 .retryInterval=10 .customData=3
        N s E65
        N a I21 k1
        N o C !status=338 .location=339 .requestId=10 .statusInfo=8 .customData=3
        N o C !chargingProfileId=1 .customData=3
        N o C .limit=37 .limit_L2=37 .limit_L3=37 .dischargeLimit=156 .dischargeLimit_L2=156 .dischargeLimit_L3=156 .setpoint=37 .setpoint_L2=37 .setpoint_L3=37 .setpointReactive=37 .setpointReactive_L2=37 .setpointReactive_L3=37 .customData=3
        N o C !status=5 .scheduleUpdate=342 .statusInfo=8 .customData=3
        N s E66
        N s E67
        N a I267 k1 K3
        N s L256
        N o C !id=1 !stackLevel=10 !chargingProfilePurpose=84 !chargingProfileKind=344 !chargingSchedule=346 .recurrencyKind=345 .validFrom=0 .validTo=0 .transactionId=80 .maxOfflineDuration=1 .invalidAfterOfflineDuration=89 .dynUpdateInterval=1 .dynUpdateTime=0 .priceScheduleSignature=347 .customData=3
        N a I348 k1
        N o C !requestId=1 !chargingLimitSource=6 !evseId=10 !chargingProfile=349 .tbc=89 .customData=3
        N o C !x=37 !y=37 .customData=3
        N a I351 k1 K10
        N o C .hysteresisHigh=37 .hysteresisLow=37 .hysteresisDelay=37 .hysteresisGradient=37 .customData=3
        N o C .vRef=37 .autonomousVRefEnable=89 .autonomousVRefTimeConstant=37 .customData=3
        N s E68
        N o C .hv10MinMeanValue=37 .hv10MinMeanTripDelay=37 .powerDuringCessation=355 .customData=3
        N s E69
        N o C !priority=10 !yUnit=357 !curveData=352 .hysteresis=353 .reactivePowerParams=354 .voltageParams=356 .responseTime=37 .startTime=0 .duration=37 .customData=3
        N o C !id=80 !curveType=90 !isDefault=89 !isSuperseded=89 !curve=358 .customData=3
        N a I359 k1 K24
        N o C !priority=10 !highVoltage=37 !lowVoltage=37 !highFreq=37 !lowFreq=37 .delay=37 .randomDelay=37 .rampRate=37 .customData=3
        N o C !id=80 !enterService=361 .customData=3
        N a I362 k1 K24
        N o C !priority=10 !displacement=37 !excitation=89 .startTime=0 .duration=37 .customData=3
        N o C !id=80 !isDefault=89 !isSuperseded=89 !fixedPF=364 .customData=3
        N a I365 k1 K24
        N o C !priority=10 !setpoint=37 !unit=357 .startTime=0 .duration=37 .customData=3
        N o C !id=80 !isDefault=89 !isSuperseded=89 !fixedVar=367 .customData=3
        N a I368 k1 K24
        N o C !priority=10 !overFreq=37 !underFreq=37 !overDroop=37 !underDroop=37 !responseTime=37 .startTime=0 .duration=37 .customData=3
        N o C !id=80 !isDefault=89 !isSuperseded=89 !freqDroop=370 .customData=3
        N a I371 k1 K24
        N o C !priority=10 !gradient=37 !softGradient=37 .customData=3
        N o C !id=80 !gradient=373 .customData=3
        N a I374 k1 K24
        N o C !priority=10 .pctMaxDischargePower=37 .powerMonitoringMustTrip=358 .startTime=0 .duration=37 .customData=3
        N o C !id=80 !isDefault=89 !isSuperseded=89 !limitMaxDischarge=376 .customData=3
        N a I377 k1 K24
        N o C !requestId=1 .curve=360 .enterService=363 .fixedPFAbsorb=366 .fixedPFInject=366 .fixedVar=369 .freqDroop=372 .gradient=375 .limitMaxDischarge=378 .tbc=89 .customData=3
        N o C !requestId=1 !idToken=16 .customData=3
        N o C !remoteStartId=1 !idToken=16 .evseId=282 .groupIdToken=16 .chargingProfile=348 .customData=3
        N o C !status=5 .statusInfo=8 .transactionId=80 .customData=3
        N o C !transactionId=80 .customData=3
        N s E70
        N o C !reservationId=10 !reservationUpdateStatus=384 .customData=3
        N o C !id=10 !expiryDateTime=0 !idToken=16 .connectorType=6 .evseId=10 .groupIdToken=16 .customData=3
        N s E71
        N o C !status=387 .statusInfo=8 .customData=3
        N s E72
        N o C !type=389 .evseId=10 .customData=3
        N o C !type=13 !timestamp=0 .techInfo=2 .customData=3
        N o C !idToken=16 .idTokenInfo=30 .customData=3
        N a I392 k1
        N s E73
        N o C !versionNumber=1 !updateType=394 .localAuthorizationList=393 .customData=3
        N s E74
        N o C !status=396 .statusInfo=8 .customData=3
        N o C !evseId=10 !chargingProfile=348 .customData=3
        N o C !isDefault=89 !controlId=80 !controlType=90 .curve=358 .enterService=361 .fixedPFAbsorb=364 .fixedPFInject=364 .fixedVar=367 .freqDroop=370 .gradient=373 .limitMaxDischarge=376 .customData=3
        N o C !status=92 .statusInfo=8 .supersededIds=276 .customData=3
        N o C !evseId=10 !tariff=56 .customData=3
        N s E75
        N o C !status=402 .statusInfo=8 .customData=3
        N o C !message=279 .customData=3
        N s E76
        N o C !status=405 .statusInfo=8 .customData=3
        N s E77
        N o C !monitoringBase=407 .customData=3
        N o C !severity=10 .customData=3
        N s L6
        N s E78
        N o C !apn=21 !apnAuthentication=411 .apnUserName=13 .apnPassword=111 .simPin=1 .preferredNetwork=410 .useOnlyPreferredNetwork=89 .customData=3
        N s E79
        N s E80
        N s E81
        N s L48
        N s E82
        N o C !server=21 !user=13 !password=111 !key=2 !type=417 .group=13 .customData=3
        N o C !ocppInterface=414 !ocppTransport=415 !messageTimeout=1 !ocppCsmsUrl=21 !securityProfile=10 .apn=412 .ocppVersion=413 .identity=416 .basicAuthPassword=111 .vpn=418 .customData=3
        N o C !configurationSlot=1 !connectionData=419 .customData=3
        N o C !value=37 !type=311 !severity=10 !component=184 !variable=185 .id=10 .periodicEventStream=11 .transaction=89 .customData=3
        N a I421 k1
        N o C !setMonitoringData=422 .customData=3
        N s E83
        N o C !status=424 !type=311 !severity=10 !component=184 !variable=185 .id=10 .statusInfo=8 .customData=3
        N a I425 k1
        N o C !setMonitoringResult=426 .customData=3
        N o C !attributeValue=210 !component=184 !variable=185 .attributeType=205 .customData=3
        N a I428 k1
        N o C !setVariableData=429 .customData=3
        N s E84
        N o C !attributeStatus=431 !component=184 !variable=185 .attributeType=205 .attributeStatusInfo=8 .customData=3
        N a I432 k1
        N o C !setVariableResult=433 .customData=3
        N s L5500
        N o C !csr=435 .certificateType=73 .hashRootCertificate=110 .requestId=1 .customData=3
        N s E85
        N o C !timestamp=0 !connectorStatus=437 !evseId=10 !connectorId=10 .customData=3
        N s E86
        N o C !type=439 !volume=37 .customData=3
        N a I440 k1
        N o C !startPeriod=0 .dimensions=441 .tariffId=34 .customData=3
        N a I442 k1
        N s E87
        N o C .exclTax=37 .inclTax=37 .customData=3
        N o C !currency=36 !typeOfCost=444 !total=445 .fixed=55 .energy=55 .chargingTime=55 .idleTime=55 .reservationTime=55 .reservationFixed=55 .customData=3
        N o C !energy=37 !chargingTime=1 !idleTime=1 .reservationTime=1 .customData=3
        N o C !totalCost=446 !totalUsage=447 .chargingPeriods=443 .failureToCalculate=89 .failureReason=59 .customData=3
        N s E88
        N s E89
        N s E90
        N s E91
        N s E92
        N o C .maxCost=37 .maxEnergy=37 .maxTime=1 .maxSoC=234 .customData=3
        N o C !transactionId=80 .chargingState=452 .timeSpentCharging=1 .stoppedReason=453 .remoteStartId=1 .operationMode=157 .tariffId=34 .transactionLimit=454 .customData=3
        N o C !eventType=449 !timestamp=0 !triggerReason=450 !seqNo=10 !transactionInfo=455 .costDetails=448 .meterValue=231 .offline=89 .numberOfPhasesUsed=155 .cableMaxCurrent=1 .reservationId=10 .preconditioningStatus=451 .evseSleep=89 .evse=75 .idToken=16 .customData=3
        N o C .totalCost=37 .chargingPriority=1 .idTokenInfo=30 .transactionLimit=454 .updatedPersonalMessage=29 .updatedPersonalMessageExtra=278 .customData=3
        N s E93
        N o C !requestedMessage=458 .evse=75 .customTrigger=13 .customData=3
        N s E94
        N o C !status=460 .statusInfo=8 .customData=3
        N o C !evseId=10 !connectorId=10 .customData=3
        N s E95
        N o C !status=463 .statusInfo=8 .customData=3
        N o C !checksum=238 .customData=3
        N s E96
        N o C !status=466 .customData=3
        N o C !chargingProfileId=1 !scheduleUpdate=342 .customData=3
        N s L800
        N o C !location=21 !retrieveDateTime=0 .installDateTime=0 .signingCertificate=435 .signature=469 .customData=3
        N o C !requestId=1 !firmware=470 .retries=10 .retryInterval=1 .customData=3
        N s E97
        N o C !status=472 .statusInfo=8 .customData=3
        N o C !transactionId=80 !activate=89 .customData=3
        N s E98
        N o C !status=475 .statusInfo=8 .customData=3
        N o C !vatNumber=6 .evseId=10 .customData=3
        N o C !vatNumber=6 !status=5 .company=332 .statusInfo=8 .evseId=10 .customData=3
        A AFRRSignal 4 9
        A AdjustPeriodicEventStream 12 9
        A Authorize 24 57
        A BatterySwap 63 64
        A BootNotification 69 71
        A CancelReservation 72 9
        A CertificateSigned 74 9
        A ChangeAvailability 77 79
        A ChangeTransactionTariff 81 83
        A ClearCache 64 9
        A ClearChargingProfile 86 88
        A ClearDERControl 91 93
        A ClearDisplayMessage 94 96
        A ClearTariffs 98 102
        A ClearVariableMonitoring 103 107
        A ClearedChargingLimit 108 64
        A ClosePeriodicEventStream 94 64
        A CostUpdated 109 64
        A CustomerInformation 112 114
        A DataTransfer 116 118
        A DeleteCertificate 119 121
        A FirmwareStatusNotification 123 64
        A Get15118EVCertificate 127 130
        A GetBaseReport 132 134
        A GetCertificateChainStatus 139 143
        A GetCertificateStatus 144 146
        A GetChargingProfiles 150 152
        A GetCompositeSchedule 154 165
        A GetDERControl 166 93
        A GetDisplayMessages 169 88
        A GetInstalledCertificateIds 172 177
        A GetLocalListVersion 64 178
        A GetLog 181 183
        A GetMonitoringReport 190 134
        A GetPeriodicEventStream 64 193
        A GetReport 196 134
        A GetTariffs 197 202
        A GetTransactionStatus 203 204
        A GetVariables 208 213
        A Heartbeat 64 214
        A InstallCertificate 216 218
        A LogStatusNotification 220 64
        A MeterValues 232 64
        A NotifyAllowedEnergyTransfer 233 9
        A NotifyChargingLimit 270 64
        A NotifyCustomerInformation 272 64
        A NotifyDERAlarm 275 64
        A NotifyDERStartStop 277 64
        A NotifyDisplayMessages 281 64
        A NotifyEVChargingNeeds 302 304
        A NotifyEVChargingSchedule 305 9
        A NotifyEvent 310 64
        A NotifyMonitoringReport 316 64
        A NotifyPeriodicEventStream 319 -
        A NotifyPriorityCharging 320 64
        A NotifyReport 330 64
        A NotifySettlement 333 334
        A NotifyWebPaymentStarted 335 64
        A OpenPeriodicEventStream 336 9
        A PublishFirmware 337 9
        A PublishFirmwareStatusNotification 340 64
        A PullDynamicScheduleUpdate 341 343
        A ReportChargingProfiles 350 64
        A ReportDERControl 379 64
        A RequestBatterySwap 380 9
        A RequestStartTransaction 381 382
        A RequestStopTransaction 383 9
        A ReservationStatusUpdate 385 64
        A ReserveNow 386 388
        A Reset 390 79
        A SecurityEventNotification 391 64
        A SendLocalList 395 397
        A SetChargingProfile 398 9
        A SetDERControl 399 400
        A SetDefaultTariff 401 403
        A SetDisplayMessage 404 406
        A SetMonitoringBase 408 134
        A SetMonitoringLevel 409 9
        A SetNetworkProfile 420 218
        A SetVariableMonitoring 423 427
        A SetVariables 430 434
        A SignCertificate 436 9
        A StatusNotification 438 64
        A TransactionEvent 456 457
        A TriggerMessage 459 461
        A UnlockConnector 462 464
        A UnpublishFirmware 465 467
        A UpdateDynamicSchedule 468 9
        A UpdateFirmware 471 473
        A UsePriorityCharging 474 476
        A VatNumberValidation 477 478
        """#
}
