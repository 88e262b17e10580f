from django import forms

from .models import AnnualReport


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = [
            "overview",
            "problems",
            "other_matters",
            "licensing_decisions",
            "penalty_decisions",
            "enforcement_decisions",
            "fees_collected_wan",
        ]
        widgets = {
            "overview": forms.Textarea(attrs={"rows": 8}),
            "problems": forms.Textarea(attrs={"rows": 6}),
            "other_matters": forms.Textarea(attrs={"rows": 6}),
        }
