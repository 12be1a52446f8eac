using System.CommandLine;

using EdgeAgent.Cli;

// edgeagent: the roadside ANPR edge agent. Settings may be given anywhere on the command line as
// --Section:Key=value; everything else is parsed as commands and options.
var (commandArgs, settingArgs) = SettingArguments.Split(args);

var root = new RootCommand("EdgeAgent: reads number plates on the camera box and forwards only keyed hashes over MQTT")
{
    AgentCommands.Run(settingArgs),
    AgentCommands.Replay(settingArgs),
    AgentCommands.Demo(settingArgs),
    BenchCommand.Create(settingArgs),
    KeyCommands.Keys(settingArgs),
    KeyCommands.Hash(),
    AuditCommands.Audit(settingArgs),
    PolicyCommands.Policy(settingArgs),
    ProvisionCommand.Create(),
    DoctorCommand.Create(settingArgs),
    SnapshotCommand.Create(settingArgs),
    EvalCommand.Create(settingArgs),
};
root.Options.Add(AgentCommands.ConfigOption);
return await root.Parse(commandArgs).InvokeAsync().ConfigureAwait(false);
