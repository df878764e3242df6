// tcx: the command-line front end. Every command is a thin layer over the library.
#include <CLI/CLI.hpp>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "circuits/io/file.hpp"
#include "circuits/builder.hpp"
#include "circuits/interrupt.hpp"
#include "cli/common.hpp"
#include "provers/sat.hpp"
#include "dist/runner.hpp"
#include "tcx/version.hpp"

namespace {

// Ctrl-C asks long work to stop as its budget running out would (the Builder, simulations and
// SAT calls poll the library's interrupt flag), so that a command still prints what it has: a
// family's measured rows, a synthesis's unknown. A second Ctrl-C ends the process at once.
// SIGINT is blocked in every thread (threads inherit the mask: this runs before any starts) and
// taken by one thread with sigwait, where request_interrupt may lock, which a handler may not.
void watch_interrupts() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) return;
  std::thread([set] {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) return;
    std::fputs("tcx: interrupted: stopping (Ctrl-C again to quit at once)\n", stderr);
    tcx::cli::note_ctrl_c();
    tcx::request_interrupt();
    // A second SIGINT within half a second is the same Ctrl-C delivered twice (to the process
    // and to its group, as timeout(1) and some job schedulers send it), not a second press.
    const auto first = std::chrono::steady_clock::now();
    while (sigwait(&set, &sig) == 0)
      if (std::chrono::steady_clock::now() - first > std::chrono::milliseconds(500)) _exit(130);
  }).detach();
}

// The command, with every error turned into its line on stderr and its exit status.
int run(CLI::App& app, int argc, char** argv) {
  // CLI11 would answer a misspelt command with "A subcommand is required".
  const auto commands = app.get_subcommands([](const CLI::App*) { return true; });
  if (argc > 1 && argv[1][0] != '-' &&
      std::none_of(commands.begin(), commands.end(), [&](const CLI::App* c) { return c->check_name(argv[1]); })) {
    std::cerr << "tcx: error: no command '" << tcx::printable(argv[1]) << "' (see tcx --help)\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // A usage error, in the one-line form of every other error, naming the help of the command
    // it was found in (the subcommands CLI11 had entered before it stopped), or tcx --help for a
    // flag of tcx itself (--max-wires).
    const std::string what = e.what();
    std::string help = "tcx";
    const auto colon = what.find(':');
    if (colon == std::string::npos || !app.get_option_no_throw(what.substr(0, colon)))
      for (const CLI::App* sub : app.get_subcommands()) help += " " + sub->get_name();
    std::cerr << "tcx: error: " << tcx::printable(what, 400) << " (see " << help << " --help)\n";
    return 2;
  } catch (const tcx::cli::Exit& e) {
    return e.status;
  } catch (const tcx::certification_error& e) {
    // Two solvers disagree, a model fails its CNF, or a proof is rejected: no answer can be given.
    std::cerr << "tcx: " << e.what() << "\n";
    return 4;
  } catch (const tcx::ParseError& e) {
    std::cerr << e.what() << "\n";
    return tcx::cli::error_status;
  } catch (const std::invalid_argument& e) {
    // A usage or range error (a flag value, a request the input cannot meet): exit 2 everywhere,
    // so that 1 keeps meaning "wrong / different / none".
    std::cerr << "tcx: error: " << e.what() << "\n";
    return 2;
  } catch (const std::length_error& e) {
    // A size or memory bound (--max-wires, a construction's budget): the request is out of range.
    std::cerr << "tcx: error: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "tcx: error: out of memory\n";
    return tcx::cli::error_status;
  } catch (const std::exception& e) {
    std::cerr << "tcx: error: " << e.what() << "\n";
    return tcx::cli::error_status;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  watch_interrupts();
  tcx::dist::Session session(argc, argv);  // MPI ranks when launched by mpirun (dist/runner.hpp)
  tcx::guard_input_files(true);  // no -o or --proof replaces a file this command read
  CLI::App app{"tcx: threshold-circuit explorer -- compile models and tasks to threshold circuits, "
               "measure depth and size, verify and prove.\n"
               "Convention: input i is bit i of a pattern index (least significant bit first)."};
  app.set_version_flag("--version", std::string("tcx ") + tcx::version);
  app.require_subcommand(1);
  std::uint64_t max_wires = std::uint64_t(1) << 27;
  app.add_option("--max-wires", max_wires,
                 "bound the memory of the circuits built, in units of 8 bytes (a wire; a gate counts 3, a hash slot 1, a big weight its limbs): default 2^27, 1 GiB; past it, exit 2")
      ->check(tcx::cli::int_range(std::uint64_t(1), std::uint64_t(1) << 34));
  app.parse_complete_callback([&max_wires] {  // process-wide: Builders on every thread obey it
    tcx::builder_params p = tcx::default_builder_params();
    p.max_wires = max_wires;
    tcx::set_default_builder_params(p);
  });
  tcx::cli::add_circuit_commands(app);
  tcx::cli::add_verify_commands(app);
  tcx::cli::add_prover_commands(app);
  tcx::cli::add_cell_commands(app);
  tcx::cli::add_task_commands(app);
  tcx::cli::add_model_commands(app);
  tcx::cli::add_diffusion_commands(app);
  tcx::cli::add_reproduce_command(app);
  tcx::cli::add_proof_commands(app);
  tcx::cli::refuse_wrapped_unsigned(app);
  int status = run(app, argc, argv);
  if (tcx::cli::ctrl_c_pressed()) status = 130;  // what was printed is partial: the shell's status for SIGINT
  // A full disk or a closed pipe must not pass for success: the answer printed was lost.
  std::cout.flush();
  if (!std::cout) {
    if (!tcx::stdout_write_error_thrown()) std::cerr << "tcx: error: standard output: write error\n";
    return status == 0 ? tcx::cli::error_status : status;  // a nonzero status still says the answer
  }
  return status;
}
