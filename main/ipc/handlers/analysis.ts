import type { Handlers } from '../registry.js';
import type { Services } from '../../services/index.js';

export function analysisHandlers(services: Services): Pick<Handlers, 'runAnalysis' | 'getAnalysisStatus' | 'getCaseAnalysis'> {
  return {
    runAnalysis: (input) => services.analysis.run(input),
    getAnalysisStatus: () => services.analysis.status(),
    getCaseAnalysis: (input) => services.analysis.caseAnalysis(input.applicationId),
  };
}
